/** Die deutschen Texte der Meldungscodes des Dienstes (src/shared/messages/codes.ts). */
export const deCodes: Readonly<Record<string, string>> = {
  malformed_json: 'Die Anfrage ist kein gültiges JSON.',
  body_not_utf8: 'Die Anfrage muss JSON in UTF-8 sein.',
  payload_too_large: 'Die Anfrage ist grösser als 1 MiB.',
  validation_failed: 'Einige Felder sind ungültig: {fields}',
  storage_full: 'Die Datenbank des Dienstes ist voll; nichts wurde gespeichert. Später erneut versuchen.',
  internal_error: 'Der Dienst ist unerwartet gescheitert; der Fehler ist protokolliert.',
  api_key_missing: 'Es wurde kein API-Schlüssel gesendet.',
  api_key_unknown: 'Der Dienst kennt diesen Schlüssel nicht.',
  api_key_expired: 'Dieser API-Schlüssel ist abgelaufen.',
  admin_key_required: 'Dies darf nur der Admin-Schlüssel des Betreibers.',
  endpoint_not_found: 'Der Dienst kennt {method} {path} nicht.',
  method_not_allowed: 'Diese Adresse nimmt nur {allowed} an.',
  tenant_not_found: 'Diesen Mandanten gibt es nicht.',
  api_key_not_found: 'Dieser Mandant hat keinen solchen API-Schlüssel.',
  notification_not_found: 'Diese Benachrichtigung gibt es nicht.',
  test_mail_removed: 'Die Testmail wurde entfernt (Mandant gelöscht?).',
  alert_run_not_found: 'Diesen Warnlauf gibt es nicht.',
  deadline_not_found: 'Der Mandant hat keine Frist für Ticket {ticketId}.',
  console_not_built: 'Die Konsole ist nicht gebaut.',
  tenant_id_mismatch: 'Die ID {bodyId} im Formular ist nicht die dieses Mandanten.',
  idempotency_key_invalid: 'Der Idempotency-Key muss 1 bis 200 druckbare ASCII-Zeichen haben.',
  idempotency_key_reused: 'Dieser Idempotency-Key wurde schon mit einer anderen Anfrage verwendet.',
  notification_not_failed: 'Nur eine fehlgeschlagene Benachrichtigung kann erneut gesendet werden (diese ist {status}).',
  notification_retried_meanwhile: 'Die Benachrichtigung wurde inzwischen erneut gesendet.',
  cursor_unknown: 'Dieser Seitenverweis gilt nicht mehr; die Liste neu laden.',
  tenant_settings_not_allowed: 'Diese Einstellungen sind nicht erlaubt; siehe die markierten Felder.',
  alert_run_date_in_future: '{date} liegt in der Zukunft ({timezone}); ein Warnlauf lässt sich nur für heute oder einen früheren Tag starten.',
  rate_limited: 'Zu viele Anfragen; in {retryAfterSeconds} s erneut versuchen.',
  invalid_type: 'Dieser Wert hat den falschen Typ.',
  too_small: 'Zu kurz oder zu klein: mindestens {minimum}.',
  too_big: 'Zu lang oder zu gross: höchstens {maximum}.',
  invalid_format: 'Dies hat nicht das erwartete Format ({format}).',
  invalid_value: 'Einen dieser Werte wählen: {values}.',
  unrecognized_keys: 'Unbekannte Felder: {keys}.',
  invalid_union: 'Dieser Wert passt zu keiner erlaubten Form.',
  invalid_key: 'Ungültiger Schlüssel.',
  invalid_element: 'Ungültiger Eintrag.',
  not_multiple_of: 'Muss ein Vielfaches von {divisor} sein.',
  invalid: 'Ungültig.',
  no_line_breaks: 'Darf keine Zeilenumbrüche enthalten.',
  no_nul: 'Darf keine NUL-Zeichen enthalten.',
  plain_address: 'Muss eine einfache Adresse name@domain sein (ohne Anzeigenamen).',
  sender_pattern: 'Muss eine genaue Adresse oder *@domain sein.',
  host_name: 'Muss ein Servername oder eine IP-Adresse sein.',
  pem_certificate: 'Muss ein PEM-Zertifikat sein.',
  calendar_date: 'Muss ein gültiges Kalenderdatum sein.',
  recipient_count: 'An und Cc zusammen müssen 1 bis {maximum} Empfänger nennen (hier {count}).',
  must_equal_path_tenant: 'Muss die ID dieses Mandanten sein ({tenantId}).',
  unknown_cursor: 'Unbekannter Seitenverweis.',
  status_not_failed: 'Ist {status}, nicht fehlgeschlagen.',
  status_no_longer_failed: 'Ist nicht mehr fehlgeschlagen.',
  hosted_preset_unavailable: 'Der gehostete Mail-Dienst des Betreibers ist auf diesem Dienst nicht eingerichtet.',
  hosted_preset_field_forbidden: 'Die gehostete Vorlage verwendet den Mailserver des Betreibers: Dieses Feld leer lassen.',
  preset_sender_fixed: 'Die Vorlage {preset} sendet nur als {sender}: Dieses Feld leer lassen.',
  custom_host_required: 'Der eigene Mailserver braucht seinen Servernamen.',
  preset_sends_as_mailbox: 'Die Vorlage {preset} sendet nur als Postfach-Adresse: Dieses Feld leer lassen.',
  gmx_username_required: 'GMX braucht die Postfach-Adresse als Benutzernamen (z. B. kunde@gmx.ch); sie ist auch der einzige Absender.',
  alert_sender_fixed: 'Die Vorlage {preset} sendet nur als {sender}: Warnadresse leer lassen oder {sender} eintragen.',
  alert_sender_required: 'Die Vorlage {preset} braucht eine Warnadresse.',
  alert_sender_not_allowed:
    '{address} gehört nicht zu den erlaubten Absendern ({allowedSenders}): eine davon abgedeckte Adresse wählen oder sie zu den erlaubten Absendern hinzufügen.',
  mail_host_private: 'Der Mailserver {host} liegt in einem privaten oder lokalen Netz, das dieser Dienst nicht erreichen darf.',
  mail_host_unresolvable: 'Der Mailserver {host} ist nicht auffindbar (DNS).',
  demo_preset_unavailable:
    'Das Demo-Postfach ist auf diesem Dienst abgeschaltet: Es sendet als geteiltes Demo-Postfach und ist nicht für den Betrieb. Bitte eine andere Vorlage wählen.',
  verify_connected: 'Verbunden mit {target} ({address}).',
  verify_connected_smtp: 'Verbunden mit {target} ({address}); er antwortet als Mailserver.',
  verify_connect_failed: 'Keine Verbindung zu {target}: {error}',
  verify_tls_implicit: 'TLS aufgebaut; das Zertifikat von {host} ist gültig.',
  verify_tls_implicit_pinned: 'TLS aufgebaut; das Zertifikat von {host} ist für die hinterlegte CA gültig.',
  verify_starttls: 'STARTTLS aufgebaut; das Zertifikat von {host} ist gültig.',
  verify_starttls_pinned: 'STARTTLS aufgebaut; das Zertifikat von {host} ist für die hinterlegte CA gültig.',
  verify_tls_skipped_none: 'Nicht versucht: Sicherheit ist «keine» (nur für private Server).',
  verify_starttls_missing:
    '{host} bietet kein STARTTLS an, das die gewählte Sicherheit verlangt; das Passwort wurde nicht gesendet. STARTTLS am Server einschalten oder Port 465 mit TLS verwenden.',
  verify_starttls_refused: 'Der Server hat STARTTLS abgelehnt ({reply}); das Passwort wurde nicht gesendet.',
  verify_tls_timeout: 'Der TLS-Aufbau mit {host} dauerte länger als {seconds} s.',
  verify_certificate_invalid:
    'Das Zertifikat von {host} liess sich nicht prüfen ({reason}). Hat der Server eine eigene CA, diese unten hinterlegen; das Passwort wurde nicht gesendet.',
  verify_certificate_not_pinned_ca:
    'Das Zertifikat von {host} stammt nicht von der hinterlegten CA ({reason}); die ausstellende CA hinterlegen. Das Passwort wurde nicht gesendet.',
  verify_greeting_refused: 'Der Server hat nicht als bereiter Mailserver gegrüsst: {reply}',
  verify_ehlo_refused: 'Der Server hat die Begrüssung (EHLO/HELO) abgelehnt: {reply}',
  verify_auth_skipped: 'Nicht versucht: kein Benutzername und Passwort eingetragen.',
  verify_logged_in: 'Angemeldet als {username}.',
  verify_auth_no_mechanism: 'Der Server bietet hier keine Passwort-Anmeldung an; Server und Port prüfen (587 oder 465, nicht 25).',
  verify_login_refused:
    'Der Server hat die Anmeldung für {username} abgelehnt ({reply}): Benutzername oder Passwort ist falsch. Benutzernamen prüfen und Passwort neu eingeben.',
  verify_login_failed: 'Die Anmeldung für {username} ist fehlgeschlagen: {reply}',
  verify_login_failed_temporary: 'Die Anmeldung für {username} ist vorübergehend fehlgeschlagen ({reply}); später erneut versuchen.',
  verify_timeout: 'Der Server hat nicht innert {seconds} s geantwortet.',
  verify_step_not_tried: 'Nicht versucht: Der Schritt «{failedStep}» ist fehlgeschlagen.',
  verify_sender_temporary: 'Der Server hat {address} vorübergehend abgelehnt ({reply}); später erneut versuchen.',
  verify_recipient_refused: 'Der Server nimmt {address} als Absender an, hat aber den Testempfänger {recipient} abgelehnt: {reply}',
  verify_mail_from_refused: 'Der Server hat den Absender {address} aus einem anderen Grund als der Adresse abgelehnt: {reply}',
  verify_alert_sender_refused:
    'Der Server hat {address} als Absender abgelehnt ({reply}): Fristwarnungen können nicht von ihr ausgehen. Eine Warnadresse wählen, als die dieser Benutzer senden darf, oder sie am Server erlauben.',
  verify_allowed_sender_refused:
    'Der Server hat {address} als Absender abgelehnt ({reply}), obwohl die erlaubten Absender ({allowedSenders}) sie abdecken: persönliche Mails von ihr würden scheitern. Dem Benutzer am Server das Senden als {domainPattern} erlauben oder sie aus den erlaubten Absendern nehmen (solche Mails gehen dann «via KOS»).',
  verify_alert_sender_accepted: 'Der Server nimmt {address} als Absender an (Warnadresse).',
  verify_allowed_sender_accepted: 'Der Server nimmt {address} als Absender an; persönliche Mails gehen im Namen der Verfasserin oder des Verfassers hinaus.',
  verify_unlisted_sender_accepted:
    'Der Server nimmt {address} als Absender an, aber die erlaubten Absender ({allowedSenders}) decken sie nicht ab, also gehen ihre Mails «via KOS»; {domainPattern} hinzufügen, um im eigenen Namen zu senden.',
  delivery_unexpected_error: 'Unerwarteter Fehler beim Zustellen: {error}',
  login_refused:
    'Der Mailserver hat die Anmeldung abgelehnt (Antwort: {reply}). Die Mails dieses Mandanten warten, bis Benutzername oder Passwort neu gespeichert werden.',
  sender_refused:
    'Der Mailserver hat den Absender {sender} abgelehnt ({reply}): Bei den erlaubten Absendern nur Adressen eintragen, als die dieser Benutzer senden darf.',
  tls_failed: 'TLS ist gescheitert: {error}. Die Sicherheit und, bei eigener CA, die hinterlegte CA prüfen.',
  temporary_failure: 'Vorübergehender Fehler bei {phase} (Antwort des Servers: {reply}); es wird erneut versucht.',
  message_refused: 'Der Mailserver hat die Nachricht bei {phase} abgelehnt (Antwort: {reply}).',
  connection_failed: 'Keine Verbindung zum Mailserver ({errorCode}): {error}',
  delivery_failed: 'Zustellung gescheitert: {error}',
  gave_up: 'Nach {attempts} Versuchen aufgegeben: {cause}',
  recipients_temporarily_refused: 'Einige Empfänger wurden vorübergehend abgelehnt und werden erneut versucht: {refusals}',
  sender_rewritten_hosted: 'der gehostete Mail-Dienst sendet nur als {allowedSenders}; {address} steht als Antwort-an.',
  sender_rewritten_mailbox: 'das GMX-Postfach sendet nur als seine eigene Adresse {allowedSenders}; {address} steht als Antwort-an.',
  sender_rewritten_policy: 'der Mailserver erlaubt nur {allowedSenders} als Absender; {address} steht als Antwort-an.',
  database_unreachable: 'Die Datenbank des Dienstes ist nicht erreichbar.',
  security_none_private_only: 'Sicherheit «keine» ist nur für Server in einem privaten Netz erlaubt, wenn der Betreiber es zulässt; STARTTLS oder TLS wählen.',
  security_none_public_host: 'Sicherheit «keine» würde das Passwort unverschlüsselt über das Internet an {host} senden; STARTTLS oder TLS wählen.',
  verify_connect_refused: 'Keine Verbindung zu {target}: Die Verbindung wurde abgelehnt (an diesem Port hört niemand).',
  verify_connect_reset: 'Keine Verbindung zu {target}: Der Server hat die Verbindung zurückgesetzt.',
  verify_connect_unreachable: 'Keine Verbindung zu {target}: Der Server ist nicht erreichbar.',
  verify_login_refused_mandrill:
    'Der Server hat die Anmeldung für {username} abgelehnt ({reply}): Benutzername oder Passwort ist falsch. Bei Mandrill ist das Passwort ein API-Schlüssel.',
  verify_login_refused_gmx:
    'Der Server hat die Anmeldung für {username} abgelehnt ({reply}): Benutzername oder Passwort ist falsch, oder der externe Zugriff (POP3/IMAP/SMTP) von GMX ist ausgeschaltet. Ihn in den GMX-Einstellungen einschalten oder ein App-Passwort verwenden.',
  connection_refused: 'Die Verbindung wurde abgelehnt (an diesem Port hört niemand).',
  connection_reset: 'Der Mailserver hat die Verbindung zurückgesetzt.',
  host_unreachable: 'Der Mailserver ist nicht erreichbar.',
  network_error: 'Netzwerkfehler: {error}',
  verify_listed_sender_refused:
    'Der Server hat {address} als Absender abgelehnt ({reply}), obwohl die erlaubten Absender ({allowedSenders}) sie abdecken: nur Adressen eintragen, die der Server annimmt (andere Mails gehen dann «via KOS»), oder dem Benutzer am Server das Senden als {domainPattern} erlauben.',
  metrics_token_missing: 'Das Metrik-Token mitsenden.',
  metrics_token_wrong: 'Das Metrik-Token ist falsch.',
  login_refused_no_reply:
    'Der Mailserver hat die Anmeldung abgelehnt. Die Mails dieses Mandanten warten, bis Benutzername oder Passwort neu gespeichert werden.',
  temporary_failure_no_reply: 'Vorübergehender Fehler bei {phase}; es wird erneut versucht.',
  message_refused_no_reply: 'Der Mailserver hat die Nachricht bei {phase} abgelehnt.',
  tenant_gone: 'Den Mandanten gibt es nicht mehr.',
  tenant_parked: 'Der Mailserver des Mandanten hat die Anmeldung abgelehnt; die Mail wartet, bis seine Mail-Einstellungen neu gespeichert werden.',
  delivery_interrupted: 'Die Zustellung wurde {interruptions}-mal unterbrochen (der Dienst stoppte beim Senden); die Mail wurde zurückgestellt.',
  stored_text: '{text}',
  verify_allowed_sender_refused_elsewhere:
    'Der Server hat {address} als Absender abgelehnt ({reply}), obwohl die erlaubten Absender ({allowedSenders}) sie abdecken: solche Mails gehen erneut «via KOS». {pattern} aus den erlaubten Absendern entfernen.',
  verify_listed_sender_refused_elsewhere:
    'Der Server hat {address} als Absender abgelehnt ({reply}), obwohl die erlaubten Absender ({allowedSenders}) sie abdecken: solche Mails gehen erneut «via KOS». Nur Adressen eintragen, die der Server annimmt.',
  verify_unlisted_sender_refused:
    'Der Server hat {address} als Absender abgelehnt ({reply}), wie erwartet: Die erlaubten Absender decken sie nicht ab, ihre Mails gehen «via KOS» von der Warnadresse.',
  verify_foreign_sender_accepted:
    'Der Server nimmt {address} als Absender an; die erlaubten Absender ({allowedSenders}) decken sie nicht ab, ihre Mails gehen also «via KOS», wie es sein soll: {domain} ist keine Domain dieses Mandanten.',
  verify_token_failed: 'Kein Token: {cause}',
  verify_token_delegated: 'Ein Token für {mailbox} wurde bezogen (die domainweite Delegierung funktioniert).',
  verify_token_role_missing:
    'Ein Token wurde bezogen, gewährt aber kein {role} (gewährt: {roles}). In Entra ID der App {clientId} die Anwendungsberechtigung {permission} geben und die Administratorzustimmung erteilen.',
  verify_token_granted: 'Ein Token der App {clientId} wurde bezogen; es gewährt {role}.',
  verify_graph_no_smtp: 'Nicht versucht: Die Mails gehen über Microsoft Graph, nicht über SMTP.',
  verify_graph_sender_unchecked:
    'Nicht versucht: Graph kann einen Absender nicht prüfen, ohne zu senden; eine Ablehnung zeigt sich im Status der Benachrichtigung.',
  verify_sender_not_covered: 'Nicht versucht: Die erlaubten Absender decken {address} nicht ab, ihre Mails gehen «via KOS» von der Warnadresse.',
  verify_sender_login_failed: 'Anmelden als {address} fehlgeschlagen (Schritt «{failedStep}»): {cause}',
  verify_xoauth2_missing: '{target} bietet keine OAuth-Anmeldung (AUTH XOAUTH2); Server und Port prüfen.',
  verify_xoauth2_logged_in: 'Als {mailbox} mit einem OAuth-Token angemeldet.',
  verify_xoauth2_temporary: 'Anmelden als {mailbox} ist vorläufig fehlgeschlagen ({reply}); später erneut versuchen.',
  alert_sender_refused_by_host:
    'Der Mailserver hat die Warnadresse {sender} abgelehnt ({reply}): eine Warnadresse wählen, als die dieser Benutzer senden darf.',
  sender_refused_sent_again:
    'der Mailserver hat {address} als Absender abgelehnt ({reply}), obwohl die erlaubten Absender sie mit {pattern} abdecken; erneut «via KOS» gesendet, mit Antwort an {address}.',
  sender_refused_sent_again_any:
    'der Mailserver hat {address} als Absender abgelehnt ({reply}), obwohl keine erlaubten Absender eingetragen sind (jeder Absender); erneut «via KOS» gesendet, mit Antwort an {address}.',
  sender_refused_earlier:
    'der Mailserver hat {address} am {refusedAt} als Absender abgelehnt ({reply}), obwohl die erlaubten Absender sie mit {pattern} abdecken; 24 Stunden lang gehen ihre Mails «via KOS», mit Antwort an {address}.',
  sender_refused_earlier_any:
    'der Mailserver hat {address} am {refusedAt} als Absender abgelehnt ({reply}), obwohl keine erlaubten Absender eingetragen sind (jeder Absender); 24 Stunden lang gehen ihre Mails «via KOS», mit Antwort an {address}.',
  oauth2_client_secret_refused:
    'Das Client-Secret der App {clientId} ist falsch oder abgelaufen (Microsoft antwortete {answer}): in Entra ID ein neues Client-Secret erstellen und mit seinem Ablaufdatum eintragen.',
  oauth2_client_secret_refused_expired:
    'Das Client-Secret der App {clientId} ist abgelaufen (Microsoft antwortete {answer}): in Entra ID ein neues Client-Secret erstellen und mit seinem Ablaufdatum eintragen.',
  oauth2_operator_secret_refused:
    'Das Client-Secret der Betreiber-App {clientId} ist falsch oder abgelaufen (Microsoft antwortete {answer}): den Betreiber benachrichtigen.',
  oauth2_app_unknown: 'Microsoft kennt keine App {clientId} im Verzeichnis {directoryId} (Microsoft antwortete {answer}): App-ID und Verzeichnis-ID prüfen.',
  oauth2_operator_app_unknown:
    'Microsoft kennt keine App {clientId} im Verzeichnis {directoryId} (Microsoft antwortete {answer}): Verzeichnis-ID prüfen und die Administratorin des Kunden einmal unter {consentUrl} zustimmen lassen.',
  oauth2_consent_missing:
    'Keine Administratorin hat der App {clientId} im Verzeichnis {directoryId} zugestimmt (Microsoft antwortete {answer}): in Entra ID die Berechtigung SMTP.SendAsApp (oder Mail.Send für Graph) hinzufügen und die Administratorzustimmung erteilen.',
  oauth2_operator_consent_missing:
    'Die Administratorin des Kunden hat der Betreiber-App im Verzeichnis {directoryId} nicht zugestimmt (Microsoft antwortete {answer}): {consentUrl} einmal als globale Administratorin öffnen.',
  oauth2_directory_unknown:
    'Microsoft kennt kein Verzeichnis {directoryId} (Microsoft antwortete {answer}): Verzeichnis-ID prüfen (Entra-Mandanten-ID oder primäre Domain).',
  oauth2_token_refused:
    'Microsoft hat ein Token für die App {clientId} im Verzeichnis {directoryId} verweigert (Microsoft antwortete {answer}): die Microsoft-365-Einstellungen prüfen.',
  oauth2_delegation_missing:
    'Google lässt {clientEmail} nicht als {mailbox} handeln (Google antwortete {answer}): Die Workspace-Administratorin muss {delegationClientId} in der domainweiten Delegierung mit dem Bereich {scope} eintragen.',
  oauth2_delegation_missing_own:
    'Google lässt {clientEmail} nicht als {mailbox} handeln (Google antwortete {answer}): Die Workspace-Administratorin muss die Client-ID des Dienstkontos {clientEmail} in der domainweiten Delegierung mit dem Bereich {scope} eintragen.',
  oauth2_private_key_refused:
    'Google hat den Schlüssel des Dienstkontos {clientEmail} abgelehnt (Google antwortete {answer}): einen aktuellen privaten Schlüssel des Dienstkontos eintragen.',
  oauth2_operator_key_refused:
    'Google hat den Schlüssel des Betreiber-Dienstkontos {clientEmail} abgelehnt (Google antwortete {answer}): den Betreiber benachrichtigen.',
  oauth2_private_key_unusable: 'Der private Schlüssel des Dienstkontos {clientEmail} kann nicht signieren; neu eintragen.',
  oauth2_mailbox_unknown: 'Google kennt kein aktives Postfach {mailbox} (Google antwortete {answer}).',
  oauth2_google_token_refused:
    'Google hat ein Token für {mailbox} verweigert (Google antwortete {answer}): Das Postfach muss im Workspace des Kunden bestehen und das Dienstkonto zu ihm gehören.',
  oauth2_no_microsoft_app: 'Keine Microsoft-App zum Anmelden: App-ID und Client-Secret einer eigenen App eintragen.',
  oauth2_no_service_account: 'Kein Dienstkonto zum Anmelden: ein eigenes Dienstkonto eintragen.',
  oauth2_directory_missing: 'Die Verzeichnis-ID fehlt.',
  oauth2_endpoint_refused: 'Der Anmeldedienst von {provider} ({host}) wird vom Netzwerkschutz blockiert: {cause}',
  oauth2_endpoint_unreachable: 'Der Anmeldedienst von {provider} war nicht erreichbar ({error}); es wird erneut versucht.',
  oauth2_endpoint_unavailable: 'Der Anmeldedienst von {provider} antwortete mit HTTP {status}; es wird erneut versucht.',
  oauth2_endpoint_unavailable_error: 'Der Anmeldedienst von {provider} antwortete mit HTTP {status} ({error}); es wird erneut versucht.',
  oauth2_token_refused_by_gmail:
    'Gmail hat das Token für {mailbox} zweimal abgelehnt ({reply}): die domainweite Delegierung des Dienstkontos (Bereich {scope}) prüfen und ob {mailbox} ein Postfach des Workspace ist.',
  oauth2_token_refused_by_exchange:
    'Exchange hat das Token für {mailbox} zweimal abgelehnt ({reply}): Die App braucht SMTP.SendAsApp mit Administratorzustimmung und ihr Dienstprinzipal Rechte auf {mailbox}.',
  oauth2_smtp_auth_disabled:
    'Exchange hat die SMTP-Anmeldung für {mailbox} ausgeschaltet ({reply}): authentifiziertes SMTP für das Postfach einschalten oder über Microsoft Graph senden.',
  oauth2_basic_auth_unsupported:
    'Microsoft 365 nimmt keine Anmeldung mit Passwort mehr an ({reply}): diesen Mandanten auf die Vorlage Microsoft 365 umstellen.',
  oauth2_xoauth2_missing: '{target} bietet keine OAuth-Anmeldung (AUTH XOAUTH2); Server und Port prüfen ({expected} mit STARTTLS).',
  graph_token_refused:
    'Microsoft Graph hat das Token für {mailbox} zweimal abgelehnt ({reply}): Die App braucht die Graph-Berechtigung Mail.Send mit Administratorzustimmung.',
  graph_access_denied:
    'Microsoft Graph hat der App den Zugriff auf {mailbox} verweigert ({reply}): Die App braucht Mail.Send mit Administratorzustimmung und einen Zugriffsbereich, der {mailbox} umfasst.',
  graph_busy: 'Microsoft Graph ist ausgelastet ({reply}); es wird erneut versucht.',
  graph_busy_retry_after: 'Microsoft Graph ist ausgelastet ({reply}, {seconds} s warten); es wird erneut versucht.',
  oauth2_transport_microsoft_only: 'Senden über Graph gibt es nur bei der Vorlage Microsoft 365: leer lassen.',
  oauth2_not_for_preset: 'Die Vorlage {preset} meldet sich mit Benutzer und Passwort an; OAuth gibt es für Microsoft 365 und Google Workspace.',
  oauth2_no_username: 'Die Vorlage {preset} meldet sich mit OAuth an, nie mit Benutzer: leer lassen.',
  oauth2_no_password: 'Die Vorlage {preset} meldet sich mit OAuth an, nie mit Passwort: das gespeicherte Passwort entfernen.',
  oauth2_directory_required: 'Microsoft 365 braucht die Verzeichnis-ID des Kunden (Entra-Mandanten-ID oder primäre Domain).',
  oauth2_service_account_google_only: 'Ein Dienstkonto gibt es nur bei Google Workspace: leer lassen.',
  oauth2_client_secret_required: 'Eine eigene App braucht ihr Client-Secret.',
  oauth2_client_id_required: 'Ein Client-Secret braucht die ID seiner App (oder das Secret entfernen, um die App des Betreibers zu nutzen).',
  oauth2_operator_app_missing:
    'Der Betreiber bietet keine Microsoft-App an: eine App im Entra ID des Kunden registrieren und ihre ID und ihr Client-Secret eintragen.',
  oauth2_microsoft_field_only: '{field} gibt es nur bei Microsoft 365; Google Workspace nutzt ein Dienstkonto.',
  oauth2_private_key_required: 'Ein eigenes Dienstkonto braucht seinen privaten Schlüssel (private_key seines JSON-Schlüssels).',
  oauth2_operator_account_missing: 'Der Betreiber bietet kein Dienstkonto an: das eigene des Kunden eintragen.',
  login_refused_fix: '{cause} Die Mails dieses Mandanten warten, bis seine Mail-Einstellungen erneut gespeichert werden.',
  oauth2_client_secret_expiring:
    'Das Client-Secret läuft am {expiresAt} ab (in {days} Tagen): in Entra ID ein neues für die App {clientId} erstellen und mit Ablaufdatum eintragen.',
  oauth2_client_secret_expired:
    'Das Client-Secret ist am {expiresAt} abgelaufen: in Entra ID ein neues für die App {clientId} erstellen und mit Ablaufdatum eintragen.',
  pem_private_key: 'Muss ein privater Schlüssel im PEM-Format sein (private_key des JSON-Schlüssels des Dienstkontos).',
  entra_directory_id: 'Muss die Entra-Verzeichnis-ID (eine GUID) oder ihre primäre Domain sein, z. B. kunde.onmicrosoft.com.',
  service_account_email: 'Muss die client_email des Dienstkontos sein.',
  senders_refused:
    'Der Mailserver hat in den letzten 24 Stunden {addresses} als Absender abgelehnt, obwohl die erlaubten Absender sie abdecken; ihre Mails gehen «via KOS» von der Warnadresse. Dem Benutzer am Server das Senden als diese Adressen erlauben oder die erlaubten Absender einschränken.',
  oauth2_smtp_auth_disabled_login:
    'Exchange hat die SMTP-Anmeldung für das Anmeldepostfach ausgeschaltet ({reply}): authentifiziertes SMTP für das Postfach einschalten oder über Microsoft Graph senden.',
};
