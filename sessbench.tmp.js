require('/work/main/node_modules/reflect-metadata');
const { spawn } = require('child_process');
const { SmtpSession } = require('/work/main/dist/src/modules/notification/infrastructure/SmtpSession');
const { composeMessage } = require('/work/main/dist/src/modules/notification/infrastructure/composeMessage');
const { benchMail } = require('/work/main/dist/bench/benchMail');
(async () => {
  const port = 40000 + Math.floor(Math.random()*1000);
  const sink = spawn('/usr/sbin/smtp-sink', ['-u','nobody','-c', `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });
  await new Promise(r => setTimeout(r, 300));
  const m = benchMail('t0', 0);
  const raw = composeMessage({ ...m, id: 'x', status: 'queued', attempts: 0, messageId: '<x@t0.ch>', nextAttemptAt: new Date(), createdAt: new Date() }, { alertSenderAddress: 'kos@t0.ch' });
  const S = +process.argv[2] || 3, N = 20000;
  const ep = { tenantId: 't', host: '127.0.0.1', port, security: 'none', settingsVersion: 1 };
  const T = { connectionTimeoutMs: 5000, greetingTimeoutMs: 5000, socketTimeoutMs: 5000 };
  const t0 = performance.now();
  let left = N;
  await Promise.all(Array.from({ length: S }, async () => {
    let s = await SmtpSession.open(ep, '127.0.0.1', T, () => {}); let k = 0;
    while (left-- > 0) { if (++k % 100 === 0) { s.quit(); s = await SmtpSession.open(ep, '127.0.0.1', T, () => {}); } await s.send({ from: 'a@t0.ch', to: ['b@t0.ch'] }, raw); }
    await s.quit();
  }));
  console.log(S, 'sessions', Math.round(N / ((performance.now() - t0) / 1000)), 'msg/s');
  sink.kill();
})();
