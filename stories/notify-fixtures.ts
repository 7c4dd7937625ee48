// A small made-up team for the "notify me when available" stories: fixed names and presences, one client per
// story, each with a list of its own (a signed-in account named after the story), so stories do not share a list.
import { PresenceClient, type GraphPresence, type PresenceSource, type TokenProvider } from '../src/index.js';

export const PEOPLE: Array<{ id: string; displayName: string; availability: string; activity: string }> = [
  {
    id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
    displayName: 'Adele Vance',
    availability: 'Available',
    activity: 'Available',
  },
  { id: '5bde3e51-d13b-4db1-9948-fe4b109d11a7', displayName: 'Alex Wilber', availability: 'Away', activity: 'Away' },
  {
    id: '8b209ac8-08ff-4ef1-896d-3b9fde0bbf04',
    displayName: 'Megan Bowen',
    availability: 'Busy',
    activity: 'InAMeeting',
  },
  { id: 'e8a02cc7-df4d-4778-956d-784cc9506e5a', displayName: 'Lee Gu', availability: 'Offline', activity: 'OffWork' },
];

/** Answers a moment later, as Graph would, so that elements are listening when an alert fires. */
const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 50));

const source: PresenceSource = {
  presences: (ids) =>
    later(
      PEOPLE.filter((p) => ids.includes(p.id)).map((p): GraphPresence => ({
        id: p.id,
        availability: p.availability,
        activity: p.activity,
        sequenceNumber: '1',
      })),
    ),
  profiles: (keys) =>
    later(PEOPLE.filter((p) => keys.includes(p.id)).map((p) => ({ key: p.id, id: p.id, displayName: p.displayName }))),
};

/** A client whose waiting list belongs to `story`, holding `waiting` (object ids) and nobody else. */
export function storyClient(story: string, waiting: string[] = []): PresenceClient {
  const account = `${story.toLowerCase()}@stories.example`;
  const auth: TokenProvider = { getToken: async () => 'story', account: async () => ({ username: account }) };
  try {
    localStorage.removeItem(`presence-elements:notify-when-available:${account}`);
  } catch {
    // No storage here: the list lives in memory.
  }
  const client = new PresenceClient({ source, auth });
  for (const id of waiting) client.notifyWhenAvailable(id);
  return client;
}
