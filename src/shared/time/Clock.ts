/** The time as the service sees it; tests replace it with a clock they move by hand. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}
