// Implementation of OpenIssuingSyncService (next to its .cds file, as CAP expects).
import cds from '@sap/cds';
import { registerSyncHandlers } from '../dist/cap.js';

export default class OpenIssuingSyncService extends cds.ApplicationService {
  init() {
    registerSyncHandlers(this, cds);
    return super.init();
  }
}
