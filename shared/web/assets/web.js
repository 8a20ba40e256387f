// GOV.UK Frontend's JavaScript only enhances pages that already work without it.
import { initAll } from './govuk-frontend.min.js';

initAll();

// The tender document upload form posts the file straight to S3, which refuses a file that is too big (or
// none) with a page of XML and no way back. So, where script runs, the file is checked before it leaves:
// its size, and that its name ends as the type chosen; a problem is shown as on every other form (the
// error summary, the field's own message, "Error: " in the title) and the form is not sent.
for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
  input.form?.addEventListener('submit', (event) => {
    const file = input.files?.[0];
    const data = input.dataset;
    let problem = '';
    if (!file) problem = data.missing ?? '';
    else if (Number(data.maxBytes) > 0 && file.size > Number(data.maxBytes)) problem = data.tooBig ?? '';
    else if (data.extension && !file.name.toLowerCase().endsWith(`.${data.extension}`))
      problem = data.wrongType ?? '';
    if (!problem) return;
    event.preventDefault();
    showUploadProblem(input, problem);
  });
}

/** Shows one problem with the file field: the GOV.UK error summary, the inline message, the title. */
function showUploadProblem(input, message) {
  const group = input.closest('.govuk-form-group');
  group?.classList.add('govuk-form-group--error');
  input.closest('.govuk-drop-zone')?.classList.add('govuk-file-upload--error');
  input.classList.add('govuk-file-upload--error');
  let inline = document.getElementById(`${input.id}-error`);
  if (!inline) {
    inline = document.createElement('p');
    inline.id = `${input.id}-error`;
    inline.className = 'govuk-error-message';
    const label = group?.querySelector('.govuk-hint') ?? group?.querySelector('label');
    label?.after(inline);
    input.setAttribute(
      'aria-describedby',
      `${input.getAttribute('aria-describedby') ?? ''} ${inline.id}`.trim(),
    );
  }
  inline.innerHTML = '<span class="govuk-visually-hidden">Error:</span> ';
  inline.append(message);

  let summary = document.querySelector('.govuk-error-summary');
  if (!summary) {
    summary = document.createElement('div');
    summary.className = 'govuk-error-summary';
    summary.setAttribute('tabindex', '-1');
    summary.innerHTML =
      '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>' +
      '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"></ul></div></div>';
    document.querySelector('main')?.prepend(summary);
  }
  const list = summary.querySelector('.govuk-error-summary__list');
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = `#${input.id}`;
  link.textContent = message;
  item.append(link);
  list?.replaceChildren(item);
  if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`;
  summary.focus();
}
