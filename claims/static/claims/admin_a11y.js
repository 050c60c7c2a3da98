'use strict';
// What the admin's own widgets leave unnamed, named (WCAG 1.3.1, 4.1.2); loaded on every
// admin page by templates/admin/base_site.html, checked by tests/test_accessibility.py.
//
// 1. The autocomplete boxes (select2) as a screen reader meets them: the combobox is
// named by the chosen option alone, so an empty one has no name and a filled one does not
// say what it is for ("Vladimir Putin": source? outlet?); the chosen text sits in a
// nameless read-only "textbox"; the multiple kind's search field has no label, and its
// "remove all" cross is put straight inside a list. Each box is named here by its
// select's label (or aria-label) followed by what is chosen.
// 2. The date and time boxes of a date-and-time field ("Date: [ ] Time: [ ]" in plain
// text): each named by its field's label and "date" / "time".
// 3. The search icons of the two-list pickers (groups, permissions, members): an
// aria-label on a bare span names nothing; they become images.
// Runs once the admin has set its widgets up, and again for inline rows added later.
(function () {
  let made = 0;

  function labelId(select) {
    const label = select.labels && select.labels[0];
    if (label && label.textContent.trim()) {
      if (!label.id) label.id = `${select.id || 'select2-name-' + (++made)}-label`;
      return label.id;
    }
    const text = select.getAttribute('aria-label');
    if (!text) return null;
    const span = document.createElement('span');
    span.id = `${select.id || 'select2-name-' + (++made)}-name`;
    span.hidden = true;  // read through aria-labelledby only
    span.textContent = text;
    select.after(span);
    return span.id;
  }

  // The cross select2 prepends to the chosen items' list (it redraws it on each change):
  // a list may hold only items, so it goes into one, hidden from screen readers (the
  // combobox clears with Backspace or Delete).
  const tidyList = new MutationObserver((changes) => {
    changes.forEach((change) => change.addedNodes.forEach((node) => {
      if (node.nodeType === 1 && node.matches('.select2-selection__clear')
          && node.parentElement.matches('ul')) {
        const item = document.createElement('li');
        item.className = 'select2-clear-item';
        item.setAttribute('aria-hidden', 'true');
        node.before(item);
        item.append(node);
      }
    }));
  });

  function name(root) {
    root.querySelectorAll('select.admin-autocomplete').forEach((select) => {
      if (select.name.includes('__prefix__') || select.dataset.a11yNamed) return;
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains('select2')) return;
      const id = labelId(select);
      if (!id) return;
      select.dataset.a11yNamed = '1';
      const box = container.querySelector('[role=combobox]');
      const chosen = container.querySelector('.select2-selection__rendered');
      if (chosen && chosen.matches('span')) {
        // The chosen text is part of the combobox's name, not an input of its own.
        chosen.removeAttribute('role');
        chosen.removeAttribute('aria-readonly');
      }
      if (box) box.setAttribute('aria-labelledby', chosen && chosen.id && chosen.matches('span') ? `${id} ${chosen.id}` : id);
      const search = container.querySelector('.select2-search__field');
      if (search) search.setAttribute('aria-labelledby', id);
      if (chosen && chosen.matches('ul')) {
        chosen.querySelectorAll(':scope > .select2-selection__clear').forEach((cross) => {
          tidyList.takeRecords();
          const item = document.createElement('li');
          item.className = 'select2-clear-item';
          item.setAttribute('aria-hidden', 'true');
          cross.before(item);
          item.append(cross);
        });
        tidyList.observe(chosen, {childList: true});
      }
    });
  }

  function nameDateTimes(root) {
    root.querySelectorAll('p.datetime').forEach((box) => {
      const row = box.closest('.form-row, .fieldBox, td');
      const label = row && row.querySelector('label');
      const field = label ? label.textContent.trim().replace(/:$/, '') : '';
      box.querySelectorAll('input.vDateField, input.vTimeField').forEach((input) => {
        if (input.labels.length || input.getAttribute('aria-label')) return;
        const part = input.classList.contains('vDateField') ? 'date' : 'time';
        input.setAttribute('aria-label', field ? `${field}, ${part}` : part);
      });
    });
  }

  function nameIcons(root) {
    root.querySelectorAll('span.help-tooltip[aria-label]:not([role])').forEach((icon) => {
      icon.setAttribute('role', 'img');
    });
  }

  function all(root) {
    name(root);
    nameDateTimes(root);
    nameIcons(root);
  }

  // The admin sets the boxes up when jQuery says the document is ready (a timer after
  // DOMContentLoaded): name them just after that, and again on load in case.
  document.addEventListener('DOMContentLoaded', () => setTimeout(() => all(document), 0));
  window.addEventListener('load', () => all(document));
  document.addEventListener('formset:added', (event) => {
    // After the admin's own listener has set up the new row's widgets.
    setTimeout(() => all(event.target), 0);
  });
}());
