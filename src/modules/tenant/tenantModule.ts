import { ContainerModule } from 'inversify';
import { systemLookup } from '../../shared/net/hostGuard';
import { HTTP_ROUTES } from '../../shared/tokens';
import { CreateApiKey } from './application/CreateApiKey';
import { DeleteApiKey } from './application/DeleteApiKey';
import { DeleteTenant } from './application/DeleteTenant';
import { SaveTenant } from './application/SaveTenant';
import { StoredMailHostDirectory } from './application/StoredMailHostDirectory';
import { StoredTenantDirectory } from './application/StoredTenantDirectory';
import { TenantRoutes } from './http/TenantRoutes';
import { AesGcmCredentialsCipher } from './infrastructure/AesGcmCredentialsCipher';
import { KnexAuditLog } from './infrastructure/KnexAuditLog';
import { KnexTenantRepository } from './infrastructure/KnexTenantRepository';
import { AUDIT_LOG, CREDENTIALS_CIPHER, HOST_LOOKUP, MAIL_HOST_DIRECTORY, TENANT_DIRECTORY, TENANT_REPOSITORY } from './tokens';

export const tenantModule = new ContainerModule(({ bind }) => {
  bind(HOST_LOOKUP).toConstantValue(systemLookup);
  bind(TENANT_REPOSITORY).to(KnexTenantRepository).inSingletonScope();
  bind(AUDIT_LOG).to(KnexAuditLog).inSingletonScope();
  bind(CREDENTIALS_CIPHER).to(AesGcmCredentialsCipher).inSingletonScope();
  bind(TENANT_DIRECTORY).to(StoredTenantDirectory).inSingletonScope();
  bind(MAIL_HOST_DIRECTORY).to(StoredMailHostDirectory).inSingletonScope();
  bind(SaveTenant).toSelf();
  bind(DeleteTenant).toSelf();
  bind(CreateApiKey).toSelf();
  bind(DeleteApiKey).toSelf();
  bind(HTTP_ROUTES).to(TenantRoutes).inSingletonScope();
});
