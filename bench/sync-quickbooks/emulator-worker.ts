/**
 * Runs the QuickBooks emulator on its own thread, so the benchmark measures the sync pipeline and not
 * the emulator sharing its event loop (QuickBooks is a remote service in real life).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startQuickBooksEmulator } from '@openissuing/connector-quickbooks/testing';

const options = workerData as { throttling: boolean; windowMs: number };
const server = await startQuickBooksEmulator({
  throttling: options.throttling,
  limits: { windowMs: options.windowMs },
});
const emu = server.emulator;
const tokens = emu.issueTokens();
const vendor = emu.company.createNameList('Vendor', { DisplayName: 'Bench Vendor' }).Id;
const accounts = Object.fromEntries(emu.company.list('Account').map((a) => [String(a.Name), a.Id]));

parentPort?.on('message', async (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') {
    const cpu = process.threadCpuUsage?.() ?? { user: 0, system: 0 };
    parentPort?.postMessage({
      purchases: emu.purchases().length,
      stats: emu.stats,
      cpuMicros: cpu.user + cpu.system,
    });
  }
  if (msg.cmd === 'close') {
    await server.close();
    parentPort?.postMessage({ closed: true });
    parentPort?.close();
  }
});
parentPort?.postMessage({
  ready: true,
  endpoint: server.endpoint,
  tokenUrl: server.tokenUrl,
  realmId: emu.realmId,
  clientId: emu.clientId,
  clientSecret: emu.clientSecret,
  tokens,
  vendor,
  accounts,
});
