/** Told when a tenant's mail settings changed, e.g. to release a queue parked after a refused login. */
export interface MailSettingsObserver {
  mailSettingsChanged(tenantId: string): Promise<void>;
}

/** A module that keeps data per tenant removes it when the tenant is offboarded. */
export interface TenantDataOwner {
  deleteTenantData(tenantId: string): Promise<void>;
}
