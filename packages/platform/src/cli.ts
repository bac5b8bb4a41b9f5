#!/usr/bin/env node
/**
 * `openissuing` — run the sandbox platform and work with its webhooks locally.
 *
 *   openissuing serve    [--port 4100] [--host 127.0.0.1] [--memory | --data-dir <dir>] [--seed]
 *   openissuing seed     [--url http://127.0.0.1:4100]
 *   openissuing listen   --forward-to http://localhost:3000/webhooks [--events a,b]
 *   openissuing trigger  <event type>
 *
 * Every command answers --help/-h and --version/-v. The commands live in `src/cli/`.
 */
import { main } from './cli/main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
