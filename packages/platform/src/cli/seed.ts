import { seedDemoData } from '../seed';
import { type Command, target, URL_OPTION } from './command';

export const seed: Command<typeof URL_OPTION> = {
  name: 'seed',
  summary: 'load the demo data set into a running platform',
  usage: `Usage: openissuing seed [--url <platform url>]

Loads the demo data set (top-ups, two cardholders, six cards with spending controls) into a
running platform and prints the ids as JSON.

Options:
  --url <url>     the platform (default OPENISSUING_BASE_URL, else http://127.0.0.1:4100)
  -h, --help      show this help
  -v, --version   show the version

Environment:
  OPENISSUING_API_KEY   the platform's secret key (required)

Example:
  OPENISSUING_API_KEY=sk_test_local_sandbox_key openissuing seed --url http://127.0.0.1:4100`,
  options: URL_OPTION,
  async run(values) {
    const seeded = await seedDemoData(target(values));
    console.log(JSON.stringify(seeded, null, 2));
    return 0;
  },
};
