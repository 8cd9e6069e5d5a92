import { describe, expect, it } from 'vitest';
import { parkedReason } from '../../../src/modules/tenant/domain/Tenant';
import { errorColumns, rewriteReasonColumn, storedMessage, storedRewriteReason } from '../../../src/modules/notification/infrastructure/outbox/storedMessage';
import { message } from '../../../src/shared/messages/message';

describe('stored messages', () => {
  it('come back with their code and params', () => {
    const error = message('temporary_failure', { phase: 'rcpt', reply: '451 4.7.1 later' });
    const columns = errorColumns(error);
    expect(storedMessage(columns.last_error, columns.last_error_code, columns.last_error_params)).toEqual(error);
    const reason = message('sender_rewritten_policy', { allowedSenders: '*@kunde.ch', address: 'anna@privat.ch' });
    expect(storedRewriteReason(rewriteReasonColumn(reason))).toEqual(reason);
  });

  it('keep the bare text of rows written before codes were stored, under stored_text', () => {
    expect(storedMessage('451 try later', null, null)).toEqual({ code: 'stored_text', params: { text: '451 try later' }, message: '451 try later' });
    expect(storedRewriteReason('the host allows only *@kunde.ch')).toMatchObject({ code: 'stored_text', params: { text: 'the host allows only *@kunde.ch' } });
    expect(parkedReason({ state: 'parked', reason: 'refused' })).toEqual({ code: 'stored_text', params: { text: 'refused' }, message: 'refused' });
    expect(storedMessage(null, null, null)).toBeUndefined();
  });
});
