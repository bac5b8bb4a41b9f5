/**
 * The ERPs this demo knows. A connector joins by publishing `erpEmulator` from
 * `@openissuing/connector-<erp>/testing` (see @openissuing/connector-core's README) and by being added
 * here and to this example's package.json dependencies — one line each.
 */
export const ERPS = ['quickbooks', 'sap', 'oracle'] as const;
