// An authority that is not a URL, given to the MSAL token provider (an attribute typed by hand, a setting read from
// the wrong place): asking for a token fails with a message that names the authority and says what it should be.
import { expect } from '@open-wc/testing';
import { msalTokenProvider } from '../../../src/index.js';

describe('msalTokenProvider with an authority that is not a URL', () => {
  for (const authority of ['contoso.onmicrosoft.com', 'not a url', 'https://']) {
    it(`(${JSON.stringify(authority)}) fails asking for a token, naming the authority`, async () => {
      const auth = msalTokenProvider({ clientId: '00000000-0000-4000-8000-000000000001', authority });
      const error = await auth.getToken(['User.Read']).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(Error);
      const message = (error as Error).message;
      expect(message).to.include(`"${authority}"`);
      expect(message).to.match(/not a URL/);
      expect(message).to.include('https://login.microsoftonline.com/');
    });
  }
});
