/**
 * Runs the SAP emulator on its own thread, so the benchmark measures the sync pipeline and not the
 * emulator sharing its event loop (S/4HANA is a remote system in real life).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSapEmulator } from '@openissuing/connector-sap/testing';

const options = workerData as { latencyMs: number; perEntryLatencyMs: number };
const server = await startSapEmulator(options);
const emu = server.emulator;

parentPort?.on('message', async (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') parentPort?.postMessage({ documents: emu.documents().length, stats: emu.stats });
  if (msg.cmd === 'close') {
    await server.close();
    parentPort?.postMessage({ closed: true });
    parentPort?.close();
  }
});
parentPort?.postMessage({
  ready: true,
  url: server.url,
  soapUrl: server.soapUrl,
  username: emu.username,
  password: emu.password,
});
