import { keptProfile, tell, type Entry } from './entry.js';
import type { ErrorReporter } from './errors.js';
import type { PresenceSource } from './types.js';

/** Creates object URLs for photos (replaceable in tests and non-browser hosts). */
export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

export const browserObjectUrls: ObjectUrls = {
  create: (b) => URL.createObjectURL(b),
  revoke: (u) => URL.revokeObjectURL(u),
};

/** Names and photos: read from the source, kept on the people they belong to, photos shown through object URLs. */
export class PersonDetails {
  constructor(
    private readonly source: PresenceSource,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly errors: ErrorReporter,
    private readonly signal: AbortSignal,
    private readonly objectUrls: ObjectUrls,
  ) {}

  async readProfiles(ids: string[]): Promise<void> {
    try {
      const profiles = this.source.profiles ? await this.source.profiles(ids, this.signal) : [];
      for (const profile of profiles) {
        const entry = this.entries.get(profile.id);
        if (entry) entry.profile = keptProfile(profile);
      }
      // Everyone asked for is told, found or not: someone the directory does not know is no longer "loading".
      this.answered(ids);
    } catch (error) {
      if (this.signal.aborted) return;
      this.answered(ids, false);
      this.errors.fail('profile', error, ids);
    }
  }

  /** Marks the profiles of `ids` as read (and tells their listeners, unless an error is about to). */
  private answered(ids: string[], told = true): void {
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      entry.profileRead = true;
      if (told) tell(entry);
    }
  }

  async readPhotos(ids: string[]): Promise<void> {
    if (!this.source.photos) {
      for (const id of ids) this.setPhoto(id, null);
      return;
    }
    try {
      const photos = await this.source.photos(ids, this.signal);
      for (const id of ids) this.setPhoto(id, photos.get(id));
    } catch (error) {
      if (!this.signal.aborted) this.errors.fail('photo', error, ids);
    }
  }

  /** A photo already read is shown again (a watcher came back). */
  showPhoto(entry: Entry): void {
    if (entry.photo && !entry.photoUrl) entry.photoUrl = this.objectUrls.create(entry.photo);
  }

  /** Nobody shows the photo: its object URL goes; the bytes stay cached for a quick return. */
  dropPhotoUrl(entry: Entry): void {
    if (entry.photoUrl) this.objectUrls.revoke(entry.photoUrl);
    if (entry.photoUrl) entry.photoUrl = undefined;
  }

  private setPhoto(id: string, given: unknown): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    // Only a Blob is a photo: anything else (from a source of the page's own) is none, never a failing object URL.
    const photo = (entry.photo = given instanceof Blob ? given : null);
    if (photo && entry.watchers > 0 && !entry.photoUrl) entry.photoUrl = this.objectUrls.create(photo);
    tell(entry);
  }
}
