import { PresenceClient, type PresenceSource } from '../../../src/index.js';

/** A client whose people are all called `name`, and Available: which client an element uses shows in its label. */
export function clientOf(name: string): PresenceClient {
  const source: PresenceSource = {
    async presences(ids) {
      return ids.map((i) => ({ id: i, availability: 'Available', activity: 'Available', sequenceNumber: '1' }));
    },
    async profiles(keys) {
      return keys.map((key) => ({ key, id: key, displayName: name }));
    },
  };
  return new PresenceClient({ source });
}
