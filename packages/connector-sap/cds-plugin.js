// CAP loads this file for every dependency that has one: it marks @openissuing/connector-sap as a CAP
// plugin, so CAP merges the `cds` section of its package.json (the OpenIssuingSyncService model and
// the cube's CSN) into the application's configuration. Nothing of @sap/cds is bundled here.
import cds from '@sap/cds';

const LOG = cds.log('openissuing');
cds.once('served', () => {
  if (cds.services.OpenIssuingSyncService)
    LOG.info('OpenIssuingSyncService ready: POST /openissuing-sync/sync');
});
