/**
 * Web sign-in and sign-out: Cognito's hosted sign-in with PKCE and its callback, and sign-out. A function
 * of its own, reaching only the sessions table (it starts sessions and ends them), so the code that
 * handles tokens reaches no data, and the page functions need no JWT library.
 */
import { definePage, dispatchPages } from '../../shared/web/page';
import { signIn, signInCallback, signOut, signOutPage } from '../../shared/web/pages/sign-in';

// No registry access: the header of its (error) pages cannot ask whether the user belongs to an organisation.
const options = { membershipLookup: false };

export const handler = dispatchPages(
  {
    'GET /sign-in': definePage(signIn, options),
    'GET /sign-in/callback': definePage(signInCallback, options),
    'GET /sign-out': definePage(signOutPage, options),
    'POST /sign-out': definePage(signOut, options),
  },
  options,
);
