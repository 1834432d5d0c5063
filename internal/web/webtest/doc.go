// Package webtest is the harness the role packages' handler tests share: a
// signed-in browser (cookie jar, no redirect following) over an
// httptest.NewTLSServer, the response it reads, and the people a test signs
// in as.
//
// Form posts carry no token: the shell's CSRF protection refuses cross-site
// requests by their Sec-Fetch-Site and Origin headers, which Go's client
// does not send, so a test's same-origin post is accepted as the browser's
// would be.
package webtest
