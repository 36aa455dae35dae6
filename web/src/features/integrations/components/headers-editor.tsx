// Edits the default headers sent with every call of an integration.

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/form';
import { newKey, type HeaderDraft } from './integration-draft';

type Props = {
  headers: HeaderDraft[];
  errors: Record<string, string>;
  onChange: (headers: HeaderDraft[], changedPath?: string) => void;
};

export function HeadersEditor({ headers, errors, onChange }: Props) {
  return (
    <div className="headers-editor">
      {errors.headers && <p className="field__error">{errors.headers}</p>}
      {headers.length === 0 && <p className="muted">No default headers.</p>}
      {headers.map((header, index) => (
        <div key={header.key} className="header-row" role="group" aria-label={`Header ${index + 1}`}>
          <TextField
            label="Header name"
            value={header.name}
            placeholder="Accept"
            autoComplete="off"
            spellCheck={false}
            error={errors[`headers[${index}].name`]}
            onChange={(name) => onChange(headers.map((h, i) => (i === index ? { ...h, name } : h)), `headers[${index}].name`)}
          />
          <TextField
            label="Header value"
            value={header.value}
            placeholder="application/json"
            autoComplete="off"
            spellCheck={false}
            hint="Not for secrets: store those as the credential."
            error={errors[`headers[${index}].value`]}
            onChange={(value) => onChange(headers.map((h, i) => (i === index ? { ...h, value } : h)), `headers[${index}].value`)}
          />
          <Button size="sm" variant="ghost" aria-label={`Remove header ${index + 1}`} onClick={() => onChange(headers.filter((_, i) => i !== index))}>
            Remove
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...headers, { key: newKey(), name: '', value: '' }])}>
        + Add header
      </Button>
    </div>
  );
}
