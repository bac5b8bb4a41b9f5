/** `openissuing-sync` usage, per command. */
export const COMMANDS = {
  run: `openissuing-sync run [--config openissuing-sync.json] [--progress|--no-progress] [--json]
                     [--dry-run --out-dir DIR]
  Pulls every transaction after the stored cursor and books it into the ERP, exactly once.
  --dry-run --out-dir DIR  write the exact request payloads the connector would send, one file per
                           request in posting order (plus index.json); posts nothing, changes no sync
                           state and moves no cursor.`,
  watch: `openissuing-sync watch [--config …] [--interval 30] [--webhook-port 8787 --webhook-secret-env NAME]
  Runs a sync every --interval seconds; with --webhook-port also books transaction.created webhooks.`,
  status: `openissuing-sync status [--config …] [--json]
  Counts per state, the cursor and the dead-letter list with the ERP's messages.`,
  reconcile: `openissuing-sync reconcile [--config …] --from YYYY-MM-DD --to YYYY-MM-DD [--out-json r.json] [--out-html r.html] [--json]
  Compares platform and ERP per day and account and explains every difference.`,
  'retry-dead': `openissuing-sync retry-dead [--config …] [transaction ids…]
  Puts dead-lettered transactions back in the queue (after you fixed the cause).`,
} as const;

export type Command = keyof typeof COMMANDS;

export const HELP = `openissuing-sync — book OpenIssuing transactions into your ERP, exactly once

Usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.split('\n')[0]}`)
  .join('\n')}

Options: -c, --config FILE (default openissuing-sync.json), -h, --help, -v, --version
Run "openissuing-sync <command> --help" for one command.
Exit codes: 0 done, 1 error, 2 done but some transactions are in the dead-letter list (see status).`;
