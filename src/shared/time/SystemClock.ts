import { injectable } from 'inversify';
import { CronerClock } from './CronerClock';

/** The name the foundation used for the real clock; it is the croner-driven clock. */
@injectable()
export class SystemClock extends CronerClock {}
