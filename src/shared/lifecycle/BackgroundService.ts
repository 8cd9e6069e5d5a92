/** Work that runs beside the HTTP server (the dispatcher, the alert schedule). */
export interface BackgroundService {
  readonly name: string;
  /** Starts the work; resolves once it is running. */
  start(): Promise<void>;
  /** Stops taking new work and resolves when the work in hand is finished. */
  stop(): Promise<void>;
}
