/** I testi italiani dei codici di messaggio del servizio (src/shared/messages/codes.ts). */
export const itCodes: Readonly<Record<string, string>> = {
  malformed_json: 'La richiesta non è un JSON valido.',
  body_not_utf8: 'La richiesta deve essere JSON in UTF-8.',
  payload_too_large: 'La richiesta supera 1 MiB.',
  validation_failed: 'Alcuni campi non sono validi: {fields}',
  storage_full: 'La banca dati del servizio è piena; non è stato salvato nulla. Riprovare più tardi.',
  internal_error: 'Il servizio ha avuto un errore imprevisto; l’errore è registrato.',
  api_key_missing: 'Non è stata inviata alcuna chiave API.',
  api_key_unknown: 'Il servizio non conosce questa chiave.',
  api_key_expired: 'Questa chiave API è scaduta.',
  admin_key_required: 'Solo la chiave di amministrazione del gestore può farlo.',
  endpoint_not_found: 'Il servizio non conosce {method} {path}.',
  method_not_allowed: 'Questo indirizzo accetta solo {allowed}.',
  tenant_not_found: 'Questo mandante non esiste.',
  api_key_not_found: 'Questo mandante non ha questa chiave API.',
  notification_not_found: 'Questa notifica non esiste.',
  test_mail_removed: 'L’e-mail di prova è stata rimossa (mandante eliminato?).',
  alert_run_not_found: 'Questo invio degli avvisi non esiste.',
  deadline_not_found: 'Il mandante non ha scadenze per il ticket {ticketId}.',
  console_not_built: 'La console non è compilata.',
  tenant_id_mismatch: 'L’identificativo {bodyId} del modulo non è quello di questo mandante.',
  idempotency_key_invalid: 'L’Idempotency-Key deve avere da 1 a 200 caratteri ASCII stampabili.',
  idempotency_key_reused: 'Questa Idempotency-Key è già stata usata per un’altra richiesta.',
  notification_not_failed: 'Solo una notifica fallita può essere inviata di nuovo (questa è {status}).',
  notification_retried_meanwhile: 'La notifica è stata nel frattempo inviata di nuovo.',
  cursor_unknown: 'Questo collegamento di pagina non vale più; ricaricare l’elenco.',
  tenant_settings_not_allowed: 'Queste impostazioni non sono consentite; vedere i campi segnati.',
  alert_run_date_in_future: 'Il {date} è nel futuro ({timezone}); un invio degli avvisi si può avviare solo per oggi o un giorno passato.',
  rate_limited: 'Troppe richieste; riprovare tra {retryAfterSeconds} s.',
  invalid_type: 'Questo valore ha il tipo sbagliato.',
  too_small: 'Troppo corto o troppo piccolo: almeno {minimum}.',
  too_big: 'Troppo lungo o troppo grande: al massimo {maximum}.',
  invalid_format: 'Non ha il formato atteso ({format}).',
  invalid_value: 'Scegliere tra: {values}.',
  unrecognized_keys: 'Campi sconosciuti: {keys}.',
  invalid_union: 'Questo valore non corrisponde a nessuna forma consentita.',
  invalid_key: 'Chiave non valida.',
  invalid_element: 'Elemento non valido.',
  not_multiple_of: 'Deve essere un multiplo di {divisor}.',
  invalid: 'Non valido.',
  no_line_breaks: 'Non deve contenere a capo.',
  no_nul: 'Non deve contenere caratteri NUL.',
  plain_address: 'Deve essere un indirizzo semplice nome@dominio (senza nome visualizzato).',
  sender_pattern: 'Deve essere un indirizzo esatto o *@dominio.',
  host_name: 'Deve essere un nome di server o un indirizzo IP.',
  pem_certificate: 'Deve essere un certificato PEM.',
  calendar_date: 'Deve essere una data reale del calendario.',
  recipient_count: 'A e Cc insieme devono indicare da 1 a {maximum} destinatari (qui {count}).',
  must_equal_path_tenant: 'Deve essere l’identificativo di questo mandante ({tenantId}).',
  unknown_cursor: 'Collegamento di pagina sconosciuto.',
  status_not_failed: 'È {status}, non fallita.',
  status_no_longer_failed: 'Non è più fallita.',
  hosted_preset_unavailable: 'Il servizio di posta ospitato del gestore non è configurato su questo servizio.',
  hosted_preset_field_forbidden: 'Il modello ospitato usa il server del gestore: lasciare vuoto questo campo.',
  preset_sender_fixed: 'Il modello {preset} invia solo da {sender}: lasciare vuoto questo campo.',
  custom_host_required: 'Il server proprio ha bisogno del suo nome.',
  preset_sends_as_mailbox: 'Il modello {preset} invia solo dall’indirizzo della casella: lasciare vuoto questo campo.',
  gmx_username_required: 'GMX richiede l’indirizzo della casella come nome utente (p. es. kunde@gmx.ch); è anche l’unico mittente.',
  alert_sender_fixed: 'Il modello {preset} invia solo da {sender}: lasciare vuoto l’indirizzo degli avvisi o inserire {sender}.',
  alert_sender_required: 'Il modello {preset} richiede un indirizzo degli avvisi.',
  alert_sender_not_allowed:
    '{address} non è tra i mittenti autorizzati ({allowedSenders}): scegliere un indirizzo che coprono o aggiungerlo ai mittenti autorizzati.',
  mail_host_private: 'Il server {host} si trova in una rete privata o locale che questo servizio non può raggiungere.',
  mail_host_unresolvable: 'Il server {host} non si trova (DNS).',
  demo_preset_unavailable:
    'La casella dimostrativa è disattivata su questo servizio: invia da una casella condivisa e non è destinata alla produzione. Scegliere un altro modello.',
  verify_connected: 'Collegato a {target} ({address}).',
  verify_connected_smtp: 'Collegato a {target} ({address}); risponde come server di posta.',
  verify_connect_failed: 'Impossibile collegarsi a {target}: {error}',
  verify_tls_implicit: 'TLS stabilito; il certificato di {host} è valido.',
  verify_tls_implicit_pinned: 'TLS stabilito; il certificato di {host} è valido per la CA fissata.',
  verify_starttls: 'STARTTLS stabilito; il certificato di {host} è valido.',
  verify_starttls_pinned: 'STARTTLS stabilito; il certificato di {host} è valido per la CA fissata.',
  verify_tls_skipped_none: 'Non provato: la sicurezza è «nessuna» (solo server privati).',
  verify_starttls_missing:
    '{host} non offre STARTTLS, richiesto dalla sicurezza scelta; la password non è stata inviata. Attivare STARTTLS sul server o usare la porta 465 con TLS.',
  verify_starttls_refused: 'Il server ha rifiutato STARTTLS ({reply}); la password non è stata inviata.',
  verify_tls_timeout: 'La negoziazione TLS con {host} è durata più di {seconds} s.',
  verify_certificate_invalid:
    'Il certificato di {host} non si è potuto verificare ({reason}). Se il server ha una propria CA, fissarla qui sotto; la password non è stata inviata.',
  verify_certificate_not_pinned_ca:
    'Il certificato di {host} non è emesso dalla CA fissata ({reason}); fissare la CA che lo ha emesso. La password non è stata inviata.',
  verify_greeting_refused: 'Il server non si è presentato come server di posta pronto: {reply}',
  verify_ehlo_refused: 'Il server ha rifiutato il saluto (EHLO/HELO): {reply}',
  verify_auth_skipped: 'Non provato: nessun nome utente e password inseriti.',
  verify_logged_in: 'Accesso come {username} riuscito.',
  verify_auth_no_mechanism: 'Il server non offre qui un accesso con password; verificare server e porta (587 o 465, non 25).',
  verify_login_refused:
    'Il server ha rifiutato l’accesso di {username} ({reply}): nome utente o password sbagliati. Verificare il nome utente e inserire di nuovo la password.',
  verify_login_failed: 'L’accesso di {username} è fallito: {reply}',
  verify_login_failed_temporary: 'L’accesso di {username} è fallito per ora ({reply}); riprovare più tardi.',
  verify_timeout: 'Il server non ha risposto entro {seconds} s.',
  verify_step_not_tried: 'Non provato: il passo «{failedStep}» è fallito.',
  verify_sender_temporary: 'Il server ha risposto a {address} con un errore temporaneo ({reply}); riprovare più tardi.',
  verify_recipient_refused: 'Il server accetta {address} come mittente ma ha rifiutato il destinatario di prova {recipient}: {reply}',
  verify_mail_from_refused: 'Il server ha rifiutato il mittente {address} per un motivo diverso dall’indirizzo: {reply}',
  verify_alert_sender_refused:
    'Il server ha rifiutato {address} come mittente ({reply}): gli avvisi di scadenza non possono partire da qui. Scegliere un indirizzo degli avvisi consentito a questo utente o autorizzarlo sul server.',
  verify_allowed_sender_refused:
    'Il server ha rifiutato {address} come mittente ({reply}) benché i mittenti autorizzati ({allowedSenders}) lo coprano: le sue e-mail personali fallirebbero. Consentire l’invio da {domainPattern} sul server o toglierlo dai mittenti autorizzati (tali e-mail partono allora «via KOS»).',
  verify_alert_sender_accepted: 'Il server accetta {address} come mittente (indirizzo degli avvisi).',
  verify_allowed_sender_accepted: 'Il server accetta {address} come mittente; le e-mail personali partono a nome del loro autore.',
  verify_unlisted_sender_accepted:
    'Il server accetta {address} come mittente, ma i mittenti autorizzati ({allowedSenders}) non lo coprono: le sue e-mail partono «via KOS»; aggiungere {domainPattern} per inviare a nome dell’autore.',
  delivery_unexpected_error: 'Errore imprevisto nel recapito: {error}',
  login_refused:
    'Il server di posta ha rifiutato l’accesso (risposta: {reply}). Le e-mail di questo mandante attendono che nome utente o password vengano salvati di nuovo.',
  sender_refused:
    'Il server di posta ha rifiutato il mittente {sender} ({reply}): indicare tra i mittenti autorizzati solo indirizzi consentiti a questo utente.',
  tls_failed: 'TLS fallito: {error}. Verificare la sicurezza e, per un server con CA propria, la CA fissata.',
  temporary_failure: 'Errore temporaneo nella fase {phase} (risposta del server: {reply}); verrà ritentato.',
  message_refused: 'Il server di posta ha rifiutato il messaggio nella fase {phase} (risposta: {reply}).',
  connection_failed: 'Nessun collegamento al server di posta ({errorCode}): {error}',
  delivery_failed: 'Recapito fallito: {error}',
  gave_up: 'Rinuncia dopo {attempts} tentativi: {cause}',
  recipients_temporarily_refused: 'Alcuni destinatari sono stati rifiutati per ora e verranno ritentati: {refusals}',
  sender_rewritten_hosted: 'il servizio ospitato invia solo da {allowedSenders}; {address} figura come Rispondi a.',
  sender_rewritten_mailbox: 'la casella GMX invia solo dal proprio indirizzo {allowedSenders}; {address} figura come Rispondi a.',
  sender_rewritten_policy: 'il server di posta consente solo {allowedSenders} come mittente; {address} figura come Rispondi a.',
  database_unreachable: 'La banca dati del servizio non è raggiungibile.',
  security_none_private_only: 'La sicurezza «nessuna» è ammessa solo per server in una rete privata, se il gestore lo consente; scegliere STARTTLS o TLS.',
  security_none_public_host: 'La sicurezza «nessuna» invierebbe la password in chiaro su Internet a {host}; scegliere STARTTLS o TLS.',
  verify_connect_refused: 'Impossibile collegarsi a {target}: il collegamento è stato rifiutato (nessuno ascolta su quella porta).',
  verify_connect_reset: 'Impossibile collegarsi a {target}: il server ha interrotto il collegamento.',
  verify_connect_unreachable: 'Impossibile collegarsi a {target}: il server non è raggiungibile.',
  verify_login_refused_mandrill:
    'Il server ha rifiutato l’accesso di {username} ({reply}): nome utente o password sbagliati. Per Mandrill la password è una chiave API.',
  verify_login_refused_gmx:
    'Il server ha rifiutato l’accesso di {username} ({reply}): nome utente o password sbagliati, oppure l’accesso esterno (POP3/IMAP/SMTP) di GMX è disattivato. Attivarlo nelle impostazioni GMX o usare una password per app.',
  connection_refused: 'Il collegamento è stato rifiutato (nessuno ascolta su quella porta).',
  connection_reset: 'Il server di posta ha interrotto il collegamento.',
  host_unreachable: 'Il server di posta non è raggiungibile.',
  network_error: 'Errore di rete: {error}',
  verify_listed_sender_refused:
    'Il server ha rifiutato {address} come mittente ({reply}) benché i mittenti autorizzati ({allowedSenders}) lo coprano: indicare solo indirizzi che il server accetta (le altre e-mail partono allora «via KOS»), o consentire l’invio da {domainPattern} sul server.',
  metrics_token_missing: 'Inviare il token delle metriche.',
  metrics_token_wrong: 'Il token delle metriche è sbagliato.',
  login_refused_no_reply:
    'Il server di posta ha rifiutato l’accesso. Le e-mail di questo mandante attendono che nome utente o password vengano salvati di nuovo.',
  temporary_failure_no_reply: 'Errore temporaneo nella fase {phase}; verrà ritentato.',
  message_refused_no_reply: 'Il server di posta ha rifiutato il messaggio nella fase {phase}.',
  tenant_gone: 'Il mandante non esiste più.',
  tenant_parked: 'Il server di posta del mandante ha rifiutato l’accesso; l’e-mail attende che le impostazioni di posta vengano salvate di nuovo.',
  delivery_interrupted: 'Il recapito è stato interrotto {interruptions} volte (il servizio si è fermato durante l’invio); l’e-mail è stata messa da parte.',
  stored_text: '{text}',
  verify_allowed_sender_refused_elsewhere:
    'Il server ha rifiutato {address} come mittente ({reply}) benché i mittenti autorizzati ({allowedSenders}) lo coprano: tali e-mail ripartono «via KOS». Togliere {pattern} dai mittenti autorizzati.',
  verify_listed_sender_refused_elsewhere:
    'Il server ha rifiutato {address} come mittente ({reply}) benché i mittenti autorizzati ({allowedSenders}) lo coprano: tali e-mail ripartono «via KOS». Indicare solo indirizzi che il server accetta.',
  verify_unlisted_sender_refused:
    'Il server ha rifiutato {address} come mittente ({reply}), come previsto: i mittenti autorizzati non lo coprono, le sue e-mail partono «via KOS» dall’indirizzo degli avvisi.',
  verify_foreign_sender_accepted:
    'Il server accetta {address} come mittente; i mittenti autorizzati ({allowedSenders}) non lo coprono, le sue e-mail partono quindi «via KOS», come deve essere: {domain} non è un dominio di questo mandante.',
  verify_token_failed: 'Nessun token: {cause}',
  verify_token_delegated: 'È stato ottenuto un token per agire come {mailbox} (la delega a livello di dominio funziona).',
  verify_token_role_missing:
    'È stato ottenuto un token, ma non concede {role} (concesso: {roles}). In Entra ID dare all’app {clientId} l’autorizzazione applicativa {permission} e concedere il consenso amministratore.',
  verify_token_granted: 'È stato ottenuto un token dell’app {clientId}; concede {role}.',
  verify_graph_no_smtp: 'Non provato: le e-mail passano da Microsoft Graph, non da SMTP.',
  verify_graph_sender_unchecked: 'Non provato: Graph non può verificare un mittente senza inviare; un rifiuto appare nello stato della notifica.',
  verify_sender_not_covered: 'Non provato: i mittenti autorizzati non coprono {address}, le sue e-mail partono «via KOS» dall’indirizzo degli avvisi.',
  verify_sender_login_failed: 'L’accesso come {address} è fallito (passo «{failedStep}»): {cause}',
  verify_xoauth2_missing: '{target} non offre l’accesso OAuth (AUTH XOAUTH2); controllare server e porta.',
  verify_xoauth2_logged_in: 'Accesso come {mailbox} con un token OAuth.',
  verify_xoauth2_temporary: 'L’accesso come {mailbox} è fallito per ora ({reply}); riprovare più tardi.',
  alert_sender_refused_by_host:
    'Il server di posta ha rifiutato l’indirizzo degli avvisi {sender} ({reply}): scegliere un indirizzo degli avvisi consentito a questo utente.',
  sender_refused_sent_again:
    'il server ha rifiutato {address} come mittente ({reply}) benché i mittenti autorizzati lo coprano con {pattern}; rinviata «via KOS» con risposta a {address}.',
  sender_refused_sent_again_any:
    'il server ha rifiutato {address} come mittente ({reply}) benché non sia indicato alcun mittente autorizzato (qualsiasi mittente); rinviata «via KOS» con risposta a {address}.',
  sender_refused_earlier:
    'il server ha rifiutato {address} come mittente il {refusedAt} ({reply}) benché i mittenti autorizzati lo coprano con {pattern}; per 24 ore le sue e-mail partono «via KOS» con risposta a {address}.',
  sender_refused_earlier_any:
    'il server ha rifiutato {address} come mittente il {refusedAt} ({reply}) benché non sia indicato alcun mittente autorizzato (qualsiasi mittente); per 24 ore le sue e-mail partono «via KOS» con risposta a {address}.',
  oauth2_client_secret_refused:
    'Il client secret dell’app {clientId} è errato o scaduto (Microsoft ha risposto {answer}): creare un nuovo client secret in Entra ID e inserirlo con la sua data di scadenza.',
  oauth2_client_secret_refused_expired:
    'Il client secret dell’app {clientId} è scaduto (Microsoft ha risposto {answer}): creare un nuovo client secret in Entra ID e inserirlo con la sua data di scadenza.',
  oauth2_operator_secret_refused: 'Il client secret dell’app del gestore {clientId} è errato o scaduto (Microsoft ha risposto {answer}): avvisare il gestore.',
  oauth2_app_unknown:
    'Microsoft non conosce alcuna app {clientId} nella directory {directoryId} (Microsoft ha risposto {answer}): controllare l’ID dell’app e quello della directory.',
  oauth2_operator_app_unknown:
    'Microsoft non conosce alcuna app {clientId} nella directory {directoryId} (Microsoft ha risposto {answer}): controllare l’ID della directory e far dare il consenso una volta all’amministratore del cliente su {consentUrl}.',
  oauth2_consent_missing:
    'Nessun amministratore ha dato il consenso all’app {clientId} nella directory {directoryId} (Microsoft ha risposto {answer}): in Entra ID aggiungere l’autorizzazione SMTP.SendAsApp (o Mail.Send per Graph) e concedere il consenso amministratore.',
  oauth2_operator_consent_missing:
    'L’amministratore del cliente non ha dato il consenso all’app del gestore nella directory {directoryId} (Microsoft ha risposto {answer}): aprire {consentUrl} una volta come amministratore globale.',
  oauth2_directory_unknown:
    'Microsoft non conosce alcuna directory {directoryId} (Microsoft ha risposto {answer}): controllare l’ID della directory (ID del tenant Entra o dominio principale).',
  oauth2_token_refused:
    'Microsoft ha rifiutato un token per l’app {clientId} nella directory {directoryId} (Microsoft ha risposto {answer}): controllare le impostazioni Microsoft 365.',
  oauth2_delegation_missing:
    'Google non permette a {clientEmail} di agire come {mailbox} (Google ha risposto {answer}): l’amministratore Workspace deve aggiungere {delegationClientId} alla delega a livello di dominio con l’ambito {scope}.',
  oauth2_delegation_missing_own:
    'Google non permette a {clientEmail} di agire come {mailbox} (Google ha risposto {answer}): l’amministratore Workspace deve aggiungere l’ID client dell’account di servizio {clientEmail} alla delega a livello di dominio con l’ambito {scope}.',
  oauth2_private_key_refused:
    'Google ha rifiutato la chiave dell’account di servizio {clientEmail} (Google ha risposto {answer}): inserire una chiave privata attuale dell’account di servizio.',
  oauth2_operator_key_refused:
    'Google ha rifiutato la chiave dell’account di servizio del gestore {clientEmail} (Google ha risposto {answer}): avvisare il gestore.',
  oauth2_private_key_unusable: 'La chiave privata dell’account di servizio {clientEmail} non può firmare; inserirla di nuovo.',
  oauth2_mailbox_unknown: 'Google non conosce alcuna casella attiva {mailbox} (Google ha risposto {answer}).',
  oauth2_google_token_refused:
    'Google ha rifiutato un token per {mailbox} (Google ha risposto {answer}): la casella deve esistere nel Workspace del cliente e l’account di servizio appartenervi.',
  oauth2_no_microsoft_app: 'Nessuna app Microsoft per l’accesso: inserire ID e client secret di un’app propria.',
  oauth2_no_service_account: 'Nessun account di servizio per l’accesso: inserire un account di servizio proprio.',
  oauth2_directory_missing: 'Manca l’ID della directory.',
  oauth2_endpoint_refused: 'Il servizio di accesso {provider} ({host}) è bloccato dalla protezione di rete: {cause}',
  oauth2_endpoint_unreachable: 'Il servizio di accesso {provider} non era raggiungibile ({error}); si riprova.',
  oauth2_endpoint_unavailable: 'Il servizio di accesso {provider} ha risposto HTTP {status}; si riprova.',
  oauth2_endpoint_unavailable_error: 'Il servizio di accesso {provider} ha risposto HTTP {status} ({error}); si riprova.',
  oauth2_token_refused_by_gmail:
    'Gmail ha rifiutato due volte il token per {mailbox} ({reply}): controllare la delega a livello di dominio dell’account di servizio (ambito {scope}) e che {mailbox} sia una casella del Workspace.',
  oauth2_token_refused_by_exchange:
    'Exchange ha rifiutato due volte il token per {mailbox} ({reply}): l’app deve avere SMTP.SendAsApp con consenso amministratore e il suo principale di servizio diritti su {mailbox}.',
  oauth2_smtp_auth_disabled:
    'Exchange ha disattivato l’accesso SMTP per {mailbox} ({reply}): attivare l’SMTP autenticato per la casella o inviare tramite Microsoft Graph.',
  oauth2_basic_auth_unsupported: 'Microsoft 365 non accetta più l’accesso con password ({reply}): passare questo mandante al modello Microsoft 365.',
  oauth2_xoauth2_missing: '{target} non offre l’accesso OAuth (AUTH XOAUTH2); controllare server e porta ({expected} con STARTTLS).',
  graph_token_refused:
    'Microsoft Graph ha rifiutato due volte il token per {mailbox} ({reply}): l’app deve avere l’autorizzazione Graph Mail.Send con consenso amministratore.',
  graph_access_denied:
    'Microsoft Graph ha negato all’app l’accesso a {mailbox} ({reply}): l’app deve avere Mail.Send con consenso amministratore e un ambito di accesso che copra {mailbox}.',
  graph_busy: 'Microsoft Graph è sovraccarico ({reply}); si riprova.',
  graph_busy_retry_after: 'Microsoft Graph è sovraccarico ({reply}, attendere {seconds} s); si riprova.',
  oauth2_transport_microsoft_only: 'L’invio tramite Graph è solo per il modello Microsoft 365: lasciare vuoto.',
  oauth2_not_for_preset: 'Il modello {preset} accede con utente e password; OAuth è per Microsoft 365 e Google Workspace.',
  oauth2_no_username: 'Il modello {preset} accede con OAuth, mai con un utente: lasciare vuoto.',
  oauth2_no_password: 'Il modello {preset} accede con OAuth, mai con una password: rimuovere la password salvata.',
  oauth2_directory_required: 'Microsoft 365 ha bisogno dell’ID della directory del cliente (ID del tenant Entra o dominio principale).',
  oauth2_service_account_google_only: 'Un account di servizio è per Google Workspace: lasciare vuoto.',
  oauth2_client_secret_required: 'Un’app propria ha bisogno del suo client secret.',
  oauth2_client_id_required: 'Un client secret ha bisogno dell’ID della sua app (o rimuovere il secret per usare l’app del gestore).',
  oauth2_operator_app_missing: 'Il gestore non offre alcuna app Microsoft: registrare un’app nell’Entra ID del cliente e inserirne ID e client secret.',
  oauth2_microsoft_field_only: '{field} è per Microsoft 365; Google Workspace usa un account di servizio.',
  oauth2_private_key_required: 'Un account di servizio proprio ha bisogno della sua chiave privata (private_key della sua chiave JSON).',
  oauth2_operator_account_missing: 'Il gestore non offre alcun account di servizio: inserire quello del cliente.',
  login_refused_fix: '{cause} Le e-mail di questo mandante attendono che le sue impostazioni di posta siano salvate di nuovo.',
  oauth2_client_secret_expiring:
    'Il client secret scade il {expiresAt} (tra {days} giorni): crearne uno nuovo per l’app {clientId} in Entra ID e inserirlo con la data di scadenza.',
  oauth2_client_secret_expired:
    'Il client secret è scaduto il {expiresAt}: crearne uno nuovo per l’app {clientId} in Entra ID e inserirlo con la data di scadenza.',
  pem_private_key: 'Deve essere una chiave privata PEM (private_key della chiave JSON dell’account di servizio).',
  entra_directory_id: 'Deve essere l’ID della directory Entra (un GUID) o il suo dominio principale, p. es. kunde.onmicrosoft.com.',
  service_account_email: 'Deve essere il client_email dell’account di servizio.',
  senders_refused:
    'Nelle ultime 24 ore il server ha rifiutato {addresses} come mittente benché i mittenti autorizzati li coprano; le loro e-mail partono «via KOS» dall’indirizzo degli avvisi. Consentire l’invio da questi indirizzi sul server o restringere i mittenti autorizzati.',
  oauth2_smtp_auth_disabled_login:
    'Exchange ha disattivato l’accesso SMTP per la casella di accesso ({reply}): attivare l’SMTP autenticato per la casella o inviare tramite Microsoft Graph.',
};
