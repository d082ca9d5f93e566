// The console's live lists (docs/console.md#live-lists): htmx updates a list's results as the operator
// types into its filter form. Loaded after htmx with `defer`, so these settings are in place before htmx
// starts on DOMContentLoaded.
(function () {
  'use strict';
  var config = htmx.config;
  // the pages' CSP is script-src 'self' and style-src 'self': no eval (hx-on, js: expressions) and no
  // <style> element of htmx's own for request indicators
  config.allowEval = false;
  config.allowScriptTags = false;
  config.includeIndicatorStyles = false;
  // htmx would keep copies of the pages it replaced in sessionStorage for the back button; console pages
  // (accounts, e-mail addresses) stay on the server: going back loads the page again
  config.historyCacheSize = 0;
  config.refreshOnHistoryMiss = true;
  config.selfRequestsOnly = true;

  // A list request that did not come back as that list: the session timed out and the console sent it to
  // sign in, or the server answered an error (a 400 for a bad filter, a 503 while its database is away).
  // Swapping the part would leave the old results or nothing; the browser goes to the whole answer
  // instead, as it would without JavaScript. Spring Security saves the request, so signing in returns to
  // the list with the same filters.
  function redirected(detail) {
    var asked = new URL(detail.pathInfo.finalRequestPath, window.location.href);
    var answered = new URL(detail.xhr.responseURL || asked.href);
    return answered.pathname !== asked.pathname;
  }

  document.addEventListener('htmx:beforeSwap', function (event) {
    if (redirected(event.detail)) {
      event.detail.shouldSwap = false;
      window.location.assign(event.detail.xhr.responseURL);
    }
  });
  document.addEventListener('htmx:responseError', function (event) {
    window.location.assign(event.detail.pathInfo.finalRequestPath);
  });
  document.addEventListener('htmx:sendError', function (event) {
    window.location.assign(event.detail.pathInfo.finalRequestPath);
  });
})();
