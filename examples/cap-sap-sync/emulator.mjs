// Starts the SAP S/4HANA emulator on http://127.0.0.1:4010 and prints the `destinations` value that
// points the CAP app at it (CAP reads BTP destinations from that environment variable locally).
import { startSapEmulator } from '@openissuing/connector-sap/testing';

const sap = await startSapEmulator({ port: Number(process.env.PORT ?? 4010), latencyMs: 50 });
const destinations = [
  { name: 'S4HANA', url: sap.url, username: sap.emulator.username, password: sap.emulator.password },
];
process.stdout.write(
  `SAP emulator on ${sap.url}\nIn another terminal:\n  export destinations='${JSON.stringify(destinations)}'\n  npm start\n`,
);
process.on('SIGINT', () => sap.close().then(() => process.exit(0)));
