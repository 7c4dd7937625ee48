// The public events now live in src/events/, one module each; their types are re-exported here for code that
// imported them from this module.
export type {
  PresenceChangeDetail,
  PresenceChangeEvent,
  PresenceErrorDetail,
  PresenceErrorEvent,
} from '../events/index.js';
export { emit } from '../events/index.js';
