// Wires the demo desktop with the agent-bridge script, as a CRM page would (EB3.3).
(function () {
  'use strict';

  // The token travels in the URL fragment (#token=…), which the browser never sends to any server;
  // it is taken out of the address bar and history at once and kept in memory only.
  var token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (!token) {
    document.getElementById('missing-token').hidden = false;
    return;
  }

  var bridge = window.SwitchboardAgentBridge.start({
    bridgeUrl: window.location.origin,
    token: token,
    // The simulator is served by this bridge, so the adapter origin is the page's own.
    adapterOrigin: window.location.origin,
    targetFrame: 'crm',
  });

  var stateView = document.getElementById('stream-state');
  var queuedView = document.getElementById('queued');
  var errorView = document.getElementById('last-error');
  bridge.onStatus(function (status) {
    stateView.textContent = status.stream;
    stateView.setAttribute('data-state', status.stream);
    queuedView.textContent = String(status.queued);
    if (status.lastError) errorView.textContent = ' · ' + status.lastError;
  });

  var list = document.getElementById('events');
  bridge.onAny(function (message) {
    var item = document.createElement('li');
    item.setAttribute('data-type', message.type);
    item.textContent = (message.time || '') + ' ' + message.type + ' ' + JSON.stringify(message.data);
    list.insertBefore(item, list.firstChild);
  });
})();
