import { describeErpAdapter } from '@openissuing/connector-core/testing';
import { erpEmulator } from '../src/testing/index.js';

// the tests every adapter passes: round trip, lost response, SIGKILL ×5 with and without 10 % faults,
// permanent faults, reconciliation against the real platform with refunds and foreign currency
describeErpAdapter({ plugin: erpEmulator, crashTransactions: 200 });
