// Directory search with click-to-dial.
import { useState } from 'react';
import { DIRECTORY_MIN_CHARS, useDirectory } from '../state/queries.js';
import { useCapability } from '../state/selectors.js';
import { useDialStore } from '../state/dialStore.js';
import { useDebouncedValue } from './useDebouncedValue.js';

export function Directory() {
  const [text, setText] = useState('');
  const search = useDebouncedValue(text.trim(), 250);
  const { data, error, isFetching } = useDirectory(search);
  const dial = useDialStore((s) => s.dial);
  const canDial = useCapability('makeCall');
  const searching = search.length >= DIRECTORY_MIN_CHARS;
  const entries = searching ? (data ?? []) : [];

  return (
    <div className="directory">
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="directory-search">
          Search the directory
        </label>
        <input
          id="directory-search"
          type="search"
          className="input toolbar-search"
          placeholder="Search name, company or number"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="directory-search"
        />
        {isFetching && <span className="hint">Searching…</span>}
      </div>
      {!searching ? (
        <p className="empty">Type at least {DIRECTORY_MIN_CHARS} characters to search.</p>
      ) : error ? (
        <p className="field-error" role="alert">
          Directory search failed: {error.message}
        </p>
      ) : entries.length === 0 && !isFetching ? (
        <p className="empty">No matches.</p>
      ) : (
        <ul className="directory-list" aria-label="Directory matches" aria-busy={isFetching}>
          {entries.map((entry) => (
            <li key={`${entry.number}-${entry.name}`} className="directory-entry" data-testid="directory-result" data-number={entry.number}>
              <div className="directory-who">
                <span className="directory-name">{entry.name}</span>
                {entry.company && <span className="directory-company">{entry.company}</span>}
              </div>
              <span className="mono">{entry.number}</span>
              {entry.numberType && <span className="tag">{entry.numberType}</span>}
              {canDial && (
                <button type="button" className="btn btn-sm btn-ghost btn-call" onClick={() => void dial(entry.number)} aria-label={`Call ${entry.name}`} data-testid="directory-call">
                  Call
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
