/**
 * Web sign-in and sign-out: Cognito's hosted sign-in with PKCE and its callback, and sign-out. A function
 * of its own, with no table access, so the code that handles tokens reaches no data, and the page
 * functions need no JWT library.
 */
import { definePage, dispatchPages } from '../../shared/web/page';
import { signIn, signInCallback, signOut } from '../../shared/web/pages/sign-in';

export const handler = dispatchPages({
  'GET /sign-in': definePage(signIn),
  'GET /sign-in/callback': definePage(signInCallback),
  'POST /sign-out': definePage(signOut),
});
