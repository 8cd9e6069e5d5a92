import { describe, expect, it } from 'vitest';
import { googleRefusal } from '../../../src/modules/tenant/domain/oauth/oauth2Reasons';

const account = { provider: 'google', clientEmail: 'kos@kunde-123.iam.gserviceaccount.com', privateKey: 'unused', ownAccount: true } as const;

/** Params are shown inside the console's translated texts: they hold values, never English words. */
describe('Google refusing a delegation', () => {
  it("names the operator's client id when the service is the operator's", () => {
    const { detail } = googleRefusal({ ...account, ownAccount: false }, 'eva@kunde.ch', 'unauthorized_client', '', '1234567890');
    expect(detail.code).toBe('oauth2_delegation_missing');
    expect(detail.params).toMatchObject({ delegationClientId: '1234567890', mailbox: 'eva@kunde.ch' });
  });

  it("asks for the tenant's own service account's client id in the text, not in a param", () => {
    const { detail } = googleRefusal(account, 'eva@kunde.ch', 'unauthorized_client', '', undefined);
    expect(detail.code).toBe('oauth2_delegation_missing_own');
    expect(detail.params).toEqual({
      clientEmail: account.clientEmail,
      mailbox: 'eva@kunde.ch',
      answer: 'unauthorized_client',
      scope: 'https://mail.google.com/',
    });
    expect(detail.message).toContain(`the client ID of the service account ${account.clientEmail}`);
  });
});
