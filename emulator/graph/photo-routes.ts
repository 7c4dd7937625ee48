// Profile photos, https://learn.microsoft.com/graph/api/profilephoto-get: `/photo/$value` is the largest size
// available (up to 648x648), `/photos/{size}/$value` one of the nine Microsoft 365 sizes, which exist only up to the
// size the photo was uploaded in; `/photo`, `/photos` and `/photos/{size}` are the metadata. No photo, or not in that
// size: 404 ImageNotFound.
import { createHash } from 'node:crypto';
import type { Router } from '../shared/http.js';
import { photoFor, photoSizesUpTo } from '../tenant/photos.js';
import type { Tenant, TenantUser } from '../tenant/tenant.js';
import { isSelf, requirePermission, userFor } from './access.js';
import { imageNotFound } from './errors.js';
import type { GraphContext, GraphHandler, GraphResult } from './types.js';

/** The emulator draws PNG portraits; Microsoft 365 serves JPEG (a known difference, harmless to clients that read the type). */
const CONTENT_TYPE = 'image/png';

function sizesOf(user: TenantUser): number[] {
  return user.photoSize === null ? [] : photoSizesUpTo(user.photoSize);
}

/** `48x48` -> 48, when it is one of the user's sizes. */
function sizeNamed(user: TenantUser, name: string): number {
  const match = /^(\d+)x(\d+)$/i.exec(name);
  const size = match && match[1] === match[2] ? Number(match[1]) : NaN;
  if (!sizesOf(user).includes(size)) throw imageNotFound();
  return size;
}

function largest(user: TenantUser): number {
  const sizes = sizesOf(user);
  if (sizes.length === 0) throw imageNotFound();
  return sizes[sizes.length - 1]!;
}

function metadata(user: TenantUser, size: number): Record<string, unknown> {
  const etag = createHash('sha256').update(`${user.id}/${size}`).digest('hex').slice(0, 8).toUpperCase();
  return {
    '@odata.mediaContentType': CONTENT_TYPE,
    '@odata.mediaEtag': `"${etag}"`,
    id: `${size}x${size}`,
    width: size,
    height: size,
  };
}

function bytes(user: TenantUser, size: number): GraphResult {
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE, 'cache-control': 'private, max-age=3600' },
    body: photoFor(user.id, size),
  };
}

export function photoRoutes(r: Router<GraphHandler>, tenant: Tenant): void {
  /** The user whose photo is asked for, once the token may see it. */
  const owner = ({ claims, params }: GraphContext): TenantUser => {
    requirePermission(
      claims,
      isSelf(params.id, claims, tenant)
        ? ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'ProfilePhoto.Read.All']
        : ['User.ReadBasic.All', 'User.Read.All', 'ProfilePhoto.Read.All'],
      ['User.Read.All', 'ProfilePhoto.Read.All'],
    );
    return userFor(tenant, params.id, claims);
  };
  const context = (ctx: GraphContext, user: TenantUser, what: string) =>
    `${ctx.base}/v1.0/$metadata#users('${user.id}')/${what}`;

  for (const prefix of ['/v1.0/me', '/v1.0/users/:id']) {
    r.on('GET', `${prefix}/photo`, (ctx) => {
      const user = owner(ctx);
      return {
        status: 200,
        body: { '@odata.context': context(ctx, user, 'photo/$entity'), ...metadata(user, largest(user)) },
      };
    });
    r.on('GET', `${prefix}/photo/$value`, (ctx) => {
      const user = owner(ctx);
      return bytes(user, largest(user));
    });
    r.on('GET', `${prefix}/photos`, (ctx) => {
      const user = owner(ctx);
      return {
        status: 200,
        body: { '@odata.context': context(ctx, user, 'photos'), value: sizesOf(user).map((s) => metadata(user, s)) },
      };
    });
    r.on('GET', `${prefix}/photos/:size`, (ctx) => {
      const user = owner(ctx);
      return {
        status: 200,
        body: {
          '@odata.context': context(ctx, user, 'photos/$entity'),
          ...metadata(user, sizeNamed(user, ctx.params.size!)),
        },
      };
    });
    r.on('GET', `${prefix}/photos/:size/$value`, (ctx) => {
      const user = owner(ctx);
      return bytes(user, sizeNamed(user, ctx.params.size!));
    });
  }
}
