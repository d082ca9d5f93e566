// Copy buttons: <button data-copy="element-id">. The only script on Ostiary's pages; everything
// works without it (the secret is also selectable text).
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute('data-copy'));
  if (!source || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    var label = button.textContent;
    button.textContent = button.getAttribute('data-copied') || 'Copied';
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});
