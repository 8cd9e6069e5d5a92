/** Les textes français des codes de message du service (src/shared/messages/codes.ts). */
export const frCodes: Readonly<Record<string, string>> = {
  malformed_json: 'La requête n’est pas un JSON valide.',
  body_not_utf8: 'La requête doit être du JSON en UTF-8.',
  payload_too_large: 'La requête dépasse 1 Mio.',
  validation_failed: 'Certains champs ne sont pas valides : {fields}',
  storage_full: 'La base de données du service est pleine ; rien n’a été enregistré. Réessayer plus tard.',
  internal_error: 'Le service a échoué de façon inattendue ; l’erreur est journalisée.',
  api_key_missing: 'Aucune clé API n’a été envoyée.',
  api_key_unknown: 'Le service ne connaît pas cette clé.',
  api_key_expired: 'Cette clé API a expiré.',
  admin_key_required: 'Seule la clé d’administration de l’exploitant peut faire cela.',
  endpoint_not_found: 'Le service ne connaît pas {method} {path}.',
  method_not_allowed: 'Cette adresse n’accepte que {allowed}.',
  tenant_not_found: 'Ce mandant n’existe pas.',
  api_key_not_found: 'Ce mandant n’a pas cette clé API.',
  notification_not_found: 'Cette notification n’existe pas.',
  test_mail_removed: 'L’e-mail de test a été retiré (mandant supprimé ?).',
  alert_run_not_found: 'Cet envoi des alertes n’existe pas.',
  deadline_not_found: 'Le mandant n’a pas d’échéance pour le ticket {ticketId}.',
  console_not_built: 'La console n’est pas construite.',
  tenant_id_mismatch: 'L’identifiant {bodyId} du formulaire n’est pas celui de ce mandant.',
  idempotency_key_invalid: 'L’Idempotency-Key doit compter de 1 à 200 caractères ASCII imprimables.',
  idempotency_key_reused: 'Cette Idempotency-Key a déjà servi pour une autre requête.',
  notification_not_failed: 'Seule une notification échouée peut être renvoyée (celle-ci est {status}).',
  notification_retried_meanwhile: 'La notification a été renvoyée entre-temps.',
  cursor_unknown: 'Ce lien de page n’est plus valable ; recharger la liste.',
  tenant_settings_not_allowed: 'Ces réglages ne sont pas autorisés ; voir les champs signalés.',
  alert_run_date_in_future: 'Le {date} est dans le futur ({timezone}) ; un envoi des alertes ne peut être lancé que pour aujourd’hui ou un jour passé.',
  rate_limited: 'Trop de requêtes ; réessayer dans {retryAfterSeconds} s.',
  invalid_type: 'Cette valeur n’a pas le bon type.',
  too_small: 'Trop court ou trop petit : au moins {minimum}.',
  too_big: 'Trop long ou trop grand : au plus {maximum}.',
  invalid_format: 'Le format attendu n’est pas respecté ({format}).',
  invalid_value: 'Choisir parmi : {values}.',
  unrecognized_keys: 'Champs inconnus : {keys}.',
  invalid_union: 'Cette valeur ne correspond à aucune forme autorisée.',
  invalid_key: 'Clé non valable.',
  invalid_element: 'Élément non valable.',
  not_multiple_of: 'Doit être un multiple de {divisor}.',
  invalid: 'Non valable.',
  no_line_breaks: 'Ne doit pas contenir de saut de ligne.',
  no_nul: 'Ne doit pas contenir de caractère NUL.',
  plain_address: 'Doit être une adresse simple nom@domaine (sans nom d’affichage).',
  sender_pattern: 'Doit être une adresse exacte ou *@domaine.',
  host_name: 'Doit être un nom de serveur ou une adresse IP.',
  pem_certificate: 'Doit être un certificat PEM.',
  calendar_date: 'Doit être une date réelle du calendrier.',
  recipient_count: 'À et Cc ensemble doivent compter de 1 à {maximum} destinataires (ici {count}).',
  must_equal_path_tenant: 'Doit être l’identifiant de ce mandant ({tenantId}).',
  unknown_cursor: 'Lien de page inconnu.',
  status_not_failed: 'Est {status}, pas échouée.',
  status_no_longer_failed: 'N’est plus échouée.',
  hosted_preset_unavailable: 'Le service de messagerie hébergé de l’exploitant n’est pas configuré sur ce service.',
  hosted_preset_field_forbidden: 'Le modèle hébergé utilise le serveur de l’exploitant : laisser ce champ vide.',
  preset_sender_fixed: 'Le modèle {preset} n’envoie que depuis {sender} : laisser ce champ vide.',
  custom_host_required: 'Le serveur propre a besoin de son nom de serveur.',
  preset_sends_as_mailbox: 'Le modèle {preset} n’envoie que depuis l’adresse de la boîte : laisser ce champ vide.',
  gmx_username_required: 'GMX a besoin de l’adresse de la boîte comme identifiant (p. ex. kunde@gmx.ch) ; c’est aussi le seul expéditeur.',
  alert_sender_fixed: 'Le modèle {preset} n’envoie que depuis {sender} : laisser l’adresse d’alerte vide ou saisir {sender}.',
  alert_sender_required: 'Le modèle {preset} a besoin d’une adresse d’alerte.',
  alert_sender_not_allowed:
    '{address} ne fait pas partie des expéditeurs autorisés ({allowedSenders}) : choisir une adresse qu’ils couvrent ou l’ajouter aux expéditeurs autorisés.',
  mail_host_private: 'Le serveur {host} se trouve dans un réseau privé ou local que ce service ne peut pas atteindre.',
  mail_host_unresolvable: 'Le serveur {host} est introuvable (DNS).',
  demo_preset_unavailable:
    'La boîte de démonstration est désactivée sur ce service : elle envoie depuis une boîte partagée et n’est pas destinée à la production. Choisir un autre modèle.',
  verify_connected: 'Connecté à {target} ({address}).',
  verify_connected_smtp: 'Connecté à {target} ({address}) ; il répond comme un serveur de messagerie.',
  verify_connect_failed: 'Connexion impossible à {target} : {error}',
  verify_tls_implicit: 'TLS établi ; le certificat de {host} est valable.',
  verify_tls_implicit_pinned: 'TLS établi ; le certificat de {host} est valable pour l’autorité épinglée.',
  verify_starttls: 'STARTTLS établi ; le certificat de {host} est valable.',
  verify_starttls_pinned: 'STARTTLS établi ; le certificat de {host} est valable pour l’autorité épinglée.',
  verify_tls_skipped_none: 'Non essayé : la sécurité est « aucune » (serveurs privés seulement).',
  verify_starttls_missing:
    '{host} ne propose pas STARTTLS, exigé par la sécurité choisie ; le mot de passe n’a pas été envoyé. Activer STARTTLS sur le serveur ou utiliser le port 465 avec TLS.',
  verify_starttls_refused: 'Le serveur a refusé STARTTLS ({reply}) ; le mot de passe n’a pas été envoyé.',
  verify_tls_timeout: 'L’établissement TLS avec {host} a duré plus de {seconds} s.',
  verify_certificate_invalid:
    'Le certificat de {host} n’a pas pu être vérifié ({reason}). Si le serveur a sa propre autorité, l’épingler ci-dessous ; le mot de passe n’a pas été envoyé.',
  verify_certificate_not_pinned_ca:
    'Le certificat de {host} n’est pas émis par l’autorité épinglée ({reason}) ; épingler l’autorité émettrice. Le mot de passe n’a pas été envoyé.',
  verify_greeting_refused: 'Le serveur ne s’est pas annoncé comme serveur de messagerie prêt : {reply}',
  verify_ehlo_refused: 'Le serveur a refusé la salutation (EHLO/HELO) : {reply}',
  verify_auth_skipped: 'Non essayé : ni identifiant ni mot de passe saisis.',
  verify_logged_in: 'Connecté en tant que {username}.',
  verify_auth_no_mechanism: 'Le serveur ne propose pas de connexion par mot de passe ici ; vérifier serveur et port (587 ou 465, pas 25).',
  verify_login_refused:
    'Le serveur a refusé la connexion de {username} ({reply}) : l’identifiant ou le mot de passe est faux. Vérifier l’identifiant et saisir à nouveau le mot de passe.',
  verify_login_failed: 'La connexion de {username} a échoué : {reply}',
  verify_login_failed_temporary: 'La connexion de {username} a échoué pour l’instant ({reply}) ; réessayer plus tard.',
  verify_timeout: 'Le serveur n’a pas répondu dans les {seconds} s.',
  verify_step_not_tried: 'Non essayé : l’étape « {failedStep} » a échoué.',
  verify_sender_temporary: 'Le serveur a répondu à {address} par une erreur temporaire ({reply}) ; réessayer plus tard.',
  verify_recipient_refused: 'Le serveur accepte {address} comme expéditeur mais a refusé le destinataire de test {recipient} : {reply}',
  verify_mail_from_refused: 'Le serveur a refusé l’expéditeur {address} pour une autre raison que l’adresse : {reply}',
  verify_alert_sender_refused:
    'Le serveur a refusé {address} comme expéditeur ({reply}) : les alertes d’échéance ne peuvent pas partir de cette adresse. Choisir une adresse d’alerte autorisée pour cet identifiant ou l’autoriser sur le serveur.',
  verify_allowed_sender_refused:
    'Le serveur a refusé {address} comme expéditeur ({reply}) alors que les expéditeurs autorisés ({allowedSenders}) la couvrent : ses courriels personnels échoueraient. Autoriser l’envoi depuis {domainPattern} sur le serveur ou la retirer des expéditeurs autorisés (ces courriels partent alors « via KOS »).',
  verify_alert_sender_accepted: 'Le serveur accepte {address} comme expéditeur (adresse d’alerte).',
  verify_allowed_sender_accepted: 'Le serveur accepte {address} comme expéditeur ; les courriels personnels partent au nom de leur auteur.',
  verify_unlisted_sender_accepted:
    'Le serveur accepte {address} comme expéditeur, mais les expéditeurs autorisés ({allowedSenders}) ne la couvrent pas : ses courriels partent « via KOS » ; ajouter {domainPattern} pour envoyer au nom de l’auteur.',
  delivery_unexpected_error: 'Erreur inattendue lors de la remise : {error}',
  login_refused:
    'Le serveur de messagerie a refusé la connexion (réponse : {reply}). Les courriels de ce mandant attendent que l’identifiant ou le mot de passe soit enregistré à nouveau.',
  sender_refused:
    'Le serveur de messagerie a refusé l’expéditeur {sender} ({reply}) : n’indiquer parmi les expéditeurs autorisés que des adresses permises pour cet identifiant.',
  tls_failed: 'TLS a échoué : {error}. Vérifier la sécurité et, pour un serveur avec sa propre autorité, l’autorité épinglée.',
  temporary_failure: 'Échec temporaire à l’étape {phase} (réponse du serveur : {reply}) ; nouvel essai prévu.',
  message_refused: 'Le serveur de messagerie a refusé le message à l’étape {phase} (réponse : {reply}).',
  connection_failed: 'Pas de connexion au serveur de messagerie ({errorCode}) : {error}',
  delivery_failed: 'La remise a échoué : {error}',
  gave_up: 'Abandon après {attempts} essais : {cause}',
  recipients_temporarily_refused: 'Certains destinataires ont été refusés pour l’instant et seront réessayés : {refusals}',
  sender_rewritten_hosted: 'le service hébergé n’envoie que depuis {allowedSenders} ; {address} figure en Répondre à.',
  sender_rewritten_mailbox: 'la boîte GMX n’envoie que depuis sa propre adresse {allowedSenders} ; {address} figure en Répondre à.',
  sender_rewritten_policy: 'le serveur de messagerie n’autorise que {allowedSenders} comme expéditeur ; {address} figure en Répondre à.',
  database_unreachable: 'La base de données du service est injoignable.',
  security_none_private_only:
    'La sécurité « aucune » n’est permise que pour les serveurs d’un réseau privé, si l’exploitant l’autorise ; choisir STARTTLS ou TLS.',
  security_none_public_host: 'La sécurité « aucune » enverrait le mot de passe en clair sur Internet à {host} ; choisir STARTTLS ou TLS.',
  verify_connect_refused: 'Connexion impossible à {target} : la connexion a été refusée (rien n’écoute sur ce port).',
  verify_connect_reset: 'Connexion impossible à {target} : le serveur a interrompu la connexion.',
  verify_connect_unreachable: 'Connexion impossible à {target} : le serveur est injoignable.',
  verify_login_refused_mandrill:
    'Le serveur a refusé la connexion de {username} ({reply}) : l’identifiant ou le mot de passe est faux. Chez Mandrill, le mot de passe est une clé API.',
  verify_login_refused_gmx:
    'Le serveur a refusé la connexion de {username} ({reply}) : l’identifiant ou le mot de passe est faux, ou l’accès externe (POP3/IMAP/SMTP) de GMX est désactivé. L’activer dans les réglages GMX ou utiliser un mot de passe d’application.',
  connection_refused: 'La connexion a été refusée (rien n’écoute sur ce port).',
  connection_reset: 'Le serveur de messagerie a interrompu la connexion.',
  host_unreachable: 'Le serveur de messagerie est injoignable.',
  network_error: 'Erreur de réseau : {error}',
  verify_listed_sender_refused:
    'Le serveur a refusé {address} comme expéditeur ({reply}) alors que les expéditeurs autorisés ({allowedSenders}) la couvrent : n’y indiquer que des adresses que le serveur accepte (les autres courriels partent alors « via KOS »), ou autoriser l’envoi depuis {domainPattern} sur le serveur.',
  metrics_token_missing: 'Envoyer le jeton des métriques.',
  metrics_token_wrong: 'Le jeton des métriques est faux.',
  login_refused_no_reply:
    'Le serveur de messagerie a refusé la connexion. Les courriels de ce mandant attendent que l’identifiant ou le mot de passe soit enregistré à nouveau.',
  temporary_failure_no_reply: 'Échec temporaire à l’étape {phase} ; nouvel essai prévu.',
  message_refused_no_reply: 'Le serveur de messagerie a refusé le message à l’étape {phase}.',
  tenant_gone: 'Ce mandant n’existe plus.',
  tenant_parked: 'Le serveur du mandant a refusé la connexion ; le courriel attend que ses réglages de messagerie soient de nouveau enregistrés.',
  delivery_interrupted: 'La remise a été interrompue {interruptions} fois (le service s’est arrêté pendant l’envoi) ; le courriel a été mis de côté.',
  stored_text: '{text}',
  verify_allowed_sender_refused_elsewhere:
    'Le serveur a refusé {address} comme expéditeur ({reply}) alors que les expéditeurs autorisés ({allowedSenders}) la couvrent : ces courriels repartent « via KOS ». Retirer {pattern} des expéditeurs autorisés.',
  verify_listed_sender_refused_elsewhere:
    'Le serveur a refusé {address} comme expéditeur ({reply}) alors que les expéditeurs autorisés ({allowedSenders}) la couvrent : ces courriels repartent « via KOS ». N’y indiquer que des adresses que le serveur accepte.',
  verify_unlisted_sender_refused:
    'Le serveur a refusé {address} comme expéditeur ({reply}), comme prévu : les expéditeurs autorisés ne la couvrent pas, ses courriels partent « via KOS » depuis l’adresse d’alerte.',
  verify_foreign_sender_accepted:
    'Le serveur accepte {address} comme expéditeur ; les expéditeurs autorisés ({allowedSenders}) ne la couvrent pas, ses courriels partent donc « via KOS », comme il se doit : {domain} n’est pas un domaine de ce mandant.',
  verify_token_failed: 'Aucun jeton : {cause}',
  verify_token_delegated: 'Un jeton pour agir en tant que {mailbox} a été obtenu (la délégation au niveau du domaine fonctionne).',
  verify_token_role_missing:
    'Un jeton a été obtenu, mais il n’accorde pas {role} (accordé : {roles}). Dans Entra ID, donner à l’application {clientId} l’autorisation d’application {permission} et accorder le consentement administrateur.',
  verify_token_granted: 'Un jeton de l’application {clientId} a été obtenu ; il accorde {role}.',
  verify_graph_no_smtp: 'Non essayé : les courriels passent par Microsoft Graph, pas par SMTP.',
  verify_graph_sender_unchecked: 'Non essayé : Graph ne peut pas vérifier un expéditeur sans envoyer ; un refus apparaît dans l’état de la notification.',
  verify_sender_not_covered: 'Non essayé : les expéditeurs autorisés ne couvrent pas {address}, ses courriels partent « via KOS » depuis l’adresse d’alerte.',
  verify_sender_login_failed: 'La connexion en tant que {address} a échoué (étape « {failedStep} ») : {cause}',
  verify_xoauth2_missing: '{target} n’offre pas de connexion OAuth (AUTH XOAUTH2) ; vérifier le serveur et le port.',
  verify_xoauth2_logged_in: 'Connecté en tant que {mailbox} avec un jeton OAuth.',
  verify_xoauth2_temporary: 'La connexion en tant que {mailbox} a échoué pour l’instant ({reply}) ; réessayer plus tard.',
  alert_sender_refused_by_host:
    'Le serveur de messagerie a refusé l’adresse d’alerte {sender} ({reply}) : choisir une adresse d’alerte autorisée pour cet identifiant.',
  sender_refused_sent_again:
    'le serveur a refusé {address} comme expéditeur ({reply}) alors que les expéditeurs autorisés la couvrent par {pattern} ; renvoyé « via KOS » avec réponse à {address}.',
  sender_refused_sent_again_any:
    'le serveur a refusé {address} comme expéditeur ({reply}) alors qu’aucun expéditeur autorisé n’est indiqué (tout expéditeur) ; renvoyé « via KOS » avec réponse à {address}.',
  sender_refused_earlier:
    'le serveur a refusé {address} comme expéditeur le {refusedAt} ({reply}) alors que les expéditeurs autorisés la couvrent par {pattern} ; pendant 24 heures ses courriels partent « via KOS » avec réponse à {address}.',
  sender_refused_earlier_any:
    'le serveur a refusé {address} comme expéditeur le {refusedAt} ({reply}) alors qu’aucun expéditeur autorisé n’est indiqué (tout expéditeur) ; pendant 24 heures ses courriels partent « via KOS » avec réponse à {address}.',
  oauth2_client_secret_refused:
    'Le secret client de l’application {clientId} est faux ou expiré (Microsoft a répondu {answer}) : créer un nouveau secret client dans Entra ID et l’indiquer avec sa date d’expiration.',
  oauth2_client_secret_refused_expired:
    'Le secret client de l’application {clientId} a expiré (Microsoft a répondu {answer}) : créer un nouveau secret client dans Entra ID et l’indiquer avec sa date d’expiration.',
  oauth2_operator_secret_refused:
    'Le secret client de l’application de l’exploitant {clientId} est faux ou expiré (Microsoft a répondu {answer}) : prévenir l’exploitant.',
  oauth2_app_unknown:
    'Microsoft ne connaît pas d’application {clientId} dans l’annuaire {directoryId} (Microsoft a répondu {answer}) : vérifier l’ID de l’application et celui de l’annuaire.',
  oauth2_operator_app_unknown:
    'Microsoft ne connaît pas d’application {clientId} dans l’annuaire {directoryId} (Microsoft a répondu {answer}) : vérifier l’ID de l’annuaire et faire consentir une fois l’administrateur du client sur {consentUrl}.',
  oauth2_consent_missing:
    'Aucun administrateur n’a consenti à l’application {clientId} dans l’annuaire {directoryId} (Microsoft a répondu {answer}) : dans Entra ID, ajouter l’autorisation SMTP.SendAsApp (ou Mail.Send pour Graph) et accorder le consentement administrateur.',
  oauth2_operator_consent_missing:
    'L’administrateur du client n’a pas consenti à l’application de l’exploitant dans l’annuaire {directoryId} (Microsoft a répondu {answer}) : ouvrir {consentUrl} une fois en tant qu’administrateur global.',
  oauth2_directory_unknown:
    'Microsoft ne connaît pas d’annuaire {directoryId} (Microsoft a répondu {answer}) : vérifier l’ID de l’annuaire (ID du locataire Entra ou domaine principal).',
  oauth2_token_refused:
    'Microsoft a refusé un jeton pour l’application {clientId} dans l’annuaire {directoryId} (Microsoft a répondu {answer}) : vérifier les réglages Microsoft 365.',
  oauth2_delegation_missing:
    'Google ne laisse pas {clientEmail} agir en tant que {mailbox} (Google a répondu {answer}) : l’administrateur Workspace doit ajouter {delegationClientId} à la délégation au niveau du domaine avec le champ d’application {scope}.',
  oauth2_delegation_missing_own:
    'Google ne laisse pas {clientEmail} agir en tant que {mailbox} (Google a répondu {answer}) : l’administrateur Workspace doit ajouter l’ID client du compte de service {clientEmail} à la délégation au niveau du domaine avec le champ d’application {scope}.',
  oauth2_private_key_refused:
    'Google a refusé la clé du compte de service {clientEmail} (Google a répondu {answer}) : indiquer une clé privée actuelle du compte de service.',
  oauth2_operator_key_refused: 'Google a refusé la clé du compte de service de l’exploitant {clientEmail} (Google a répondu {answer}) : prévenir l’exploitant.',
  oauth2_private_key_unusable: 'La clé privée du compte de service {clientEmail} ne peut pas signer ; la saisir à nouveau.',
  oauth2_mailbox_unknown: 'Google ne connaît pas de boîte active {mailbox} (Google a répondu {answer}).',
  oauth2_google_token_refused:
    'Google a refusé un jeton pour {mailbox} (Google a répondu {answer}) : la boîte doit exister dans le Workspace du client et le compte de service lui appartenir.',
  oauth2_no_microsoft_app: 'Aucune application Microsoft pour se connecter : indiquer l’ID et le secret client d’une application propre.',
  oauth2_no_service_account: 'Aucun compte de service pour se connecter : indiquer un compte de service propre.',
  oauth2_directory_missing: 'L’ID de l’annuaire manque.',
  oauth2_endpoint_refused: 'Le service de connexion {provider} ({host}) est bloqué par la protection réseau : {cause}',
  oauth2_endpoint_unreachable: 'Le service de connexion {provider} était injoignable ({error}) ; nouvel essai plus tard.',
  oauth2_endpoint_unavailable: 'Le service de connexion {provider} a répondu HTTP {status} ; nouvel essai plus tard.',
  oauth2_endpoint_unavailable_error: 'Le service de connexion {provider} a répondu HTTP {status} ({error}) ; nouvel essai plus tard.',
  oauth2_token_refused_by_gmail:
    'Gmail a refusé deux fois le jeton pour {mailbox} ({reply}) : vérifier la délégation au niveau du domaine du compte de service (champ {scope}) et que {mailbox} est une boîte du Workspace.',
  oauth2_token_refused_by_exchange:
    'Exchange a refusé deux fois le jeton pour {mailbox} ({reply}) : l’application doit avoir SMTP.SendAsApp avec consentement administrateur, et son principal de service des droits sur {mailbox}.',
  oauth2_smtp_auth_disabled:
    'Exchange a désactivé la connexion SMTP pour {mailbox} ({reply}) : activer le SMTP authentifié pour la boîte ou envoyer par Microsoft Graph.',
  oauth2_basic_auth_unsupported: 'Microsoft 365 n’accepte plus les connexions par mot de passe ({reply}) : passer ce mandant au modèle Microsoft 365.',
  oauth2_xoauth2_missing: '{target} n’offre pas de connexion OAuth (AUTH XOAUTH2) ; vérifier le serveur et le port ({expected} avec STARTTLS).',
  graph_token_refused:
    'Microsoft Graph a refusé deux fois le jeton pour {mailbox} ({reply}) : l’application doit avoir l’autorisation Graph Mail.Send avec consentement administrateur.',
  graph_access_denied:
    'Microsoft Graph a refusé à l’application l’accès à {mailbox} ({reply}) : l’application doit avoir Mail.Send avec consentement administrateur et une étendue d’accès couvrant {mailbox}.',
  graph_busy: 'Microsoft Graph est surchargé ({reply}) ; nouvel essai plus tard.',
  graph_busy_retry_after: 'Microsoft Graph est surchargé ({reply}, attendre {seconds} s) ; nouvel essai plus tard.',
  oauth2_transport_microsoft_only: 'L’envoi par Graph est réservé au modèle Microsoft 365 : laisser vide.',
  oauth2_not_for_preset: 'Le modèle {preset} se connecte avec identifiant et mot de passe ; OAuth est pour Microsoft 365 et Google Workspace.',
  oauth2_no_username: 'Le modèle {preset} se connecte par OAuth, jamais avec un identifiant : laisser vide.',
  oauth2_no_password: 'Le modèle {preset} se connecte par OAuth, jamais avec un mot de passe : supprimer le mot de passe enregistré.',
  oauth2_directory_required: 'Microsoft 365 a besoin de l’ID d’annuaire du client (ID du locataire Entra ou domaine principal).',
  oauth2_service_account_google_only: 'Un compte de service est pour Google Workspace : laisser vide.',
  oauth2_client_secret_required: 'Une application propre a besoin de son secret client.',
  oauth2_client_id_required: 'Un secret client a besoin de l’ID de son application (ou supprimer le secret pour utiliser l’application de l’exploitant).',
  oauth2_operator_app_missing:
    'L’exploitant n’offre pas d’application Microsoft : enregistrer une application dans l’Entra ID du client et indiquer son ID et son secret client.',
  oauth2_microsoft_field_only: '{field} est pour Microsoft 365 ; Google Workspace utilise un compte de service.',
  oauth2_private_key_required: 'Un compte de service propre a besoin de sa clé privée (private_key de sa clé JSON).',
  oauth2_operator_account_missing: 'L’exploitant n’offre pas de compte de service : indiquer celui du client.',
  login_refused_fix: '{cause} Les courriels de ce mandant attendent que ses réglages de messagerie soient enregistrés à nouveau.',
  oauth2_client_secret_expiring:
    'Le secret client expire le {expiresAt} (dans {days} jours) : en créer un nouveau pour l’application {clientId} dans Entra ID et l’indiquer avec sa date d’expiration.',
  oauth2_client_secret_expired:
    'Le secret client a expiré le {expiresAt} : en créer un nouveau pour l’application {clientId} dans Entra ID et l’indiquer avec sa date d’expiration.',
  pem_private_key: 'Doit être une clé privée PEM (private_key de la clé JSON du compte de service).',
  entra_directory_id: 'Doit être l’ID de l’annuaire Entra (un GUID) ou son domaine principal, p. ex. kunde.onmicrosoft.com.',
  service_account_email: 'Doit être le client_email du compte de service.',
  senders_refused:
    'Ces dernières 24 heures, le serveur a refusé {addresses} comme expéditeur alors que les expéditeurs autorisés les couvrent ; leurs courriels partent « via KOS » depuis l’adresse d’alerte. Autoriser l’envoi depuis ces adresses sur le serveur ou restreindre les expéditeurs autorisés.',
  oauth2_smtp_auth_disabled_login:
    'Exchange a désactivé la connexion SMTP pour la boîte de connexion ({reply}) : activer le SMTP authentifié pour la boîte ou envoyer par Microsoft Graph.',
};
