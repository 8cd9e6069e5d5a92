/** How busy this process is storing new mail for the API. */
export interface IntakeLoad {
  /** Notifications handed to this process for storing whose 202 waits for the commit. */
  readonly storing: number;
}
