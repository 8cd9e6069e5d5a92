// A kos-notify process for crash tests: the built server (dist/) with one in-memory tenant whose
// host is the test SMTP server on SMTP_PORT. Stands in for `node dist/src/main.js` until the
// tenant module is composed in; then the test can run main.js and create the tenant with PUT.
require('reflect-metadata');
const { startService } = require('../../dist/src/server.js');
const { loadConfig } = require('../../dist/src/shared/config/Config.js');
const { createLogger } = require('../../dist/src/shared/logging/logger.js');
const { TENANT_DIRECTORY, MAIL_HOST_DIRECTORY } = require('../../dist/src/modules/tenant/tokens.js');

const config = loadConfig(process.env);
const tenant = {
  id: 'kunde',
  name: 'Kunde AG',
  locale: 'de',
  alertSender: { address: 'kos@kunde.ch' },
  mail: { preset: 'custom', host: '127.0.0.1', port: Number(process.env.SMTP_PORT), security: 'none', hasPassword: false, allowedSenders: ['*@kunde.ch'] },
  mailStatus: { state: 'ok' },
  settingsVersion: 1,
  createdAt: new Date(),
  updatedAt: new Date(),
};
const directory = {
  get: async (id) => (id === tenant.id ? tenant : undefined),
  list: async () => [tenant],
  endpointFor: async (id) => (id === tenant.id ? { tenantId: id, host: tenant.mail.host, port: tenant.mail.port, security: 'none', settingsVersion: 1 } : undefined),
  park: async () => undefined,
};

startService(config, {
  logger: createLogger(config.logLevel),
  prepare: (container) => {
    container.bind(TENANT_DIRECTORY).toConstantValue(directory);
    container.bind(MAIL_HOST_DIRECTORY).toConstantValue(directory);
  },
}).then((service) => {
  process.stdout.write(`READY ${service.port}\n`);
  process.once('SIGTERM', () => service.stop().then(() => process.exit(0)));
});
