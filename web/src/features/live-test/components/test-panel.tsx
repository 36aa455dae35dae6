// The test panel: a live call through the integration (method, endpoint, optional JSON body) and its result.

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/form';
import { ApiError, fieldErrors } from '@/lib/api-client';
import { useDraftState } from '@/lib/drafts';
import { HTTP_METHODS, type HttpMethod, type JsonValue } from '@/types/api';
import { useTestIntegration } from '../api/test-integration';
import { CallResult } from './call-result';

const METHOD_OPTIONS = HTTP_METHODS.map((value) => ({ value, label: value }));

type Draft = { method: HttpMethod; endpoint: string; body: string };

export function TestPanel({ integrationId, baseUrl }: { integrationId: string; baseUrl: string }) {
  const [draft, setDraft] = useDraftState<Draft>(`test-panel:${integrationId}`, { method: 'GET', endpoint: '/', body: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const test = useTestIntegration();
  const hasBody = draft.method !== 'GET' && draft.method !== 'HEAD';

  function submit(event: FormEvent) {
    event.preventDefault();
    let body: JsonValue | undefined;
    if (hasBody && draft.body.trim() !== '') {
      try {
        body = JSON.parse(draft.body) as JsonValue;
      } catch {
        setErrors({ body: 'Enter valid JSON, or leave the body empty.' });
        return;
      }
    }
    setErrors({});
    test.mutate(
      { integrationId, request: { method: draft.method, endpoint: draft.endpoint, ...(body !== undefined ? { body } : {}) } },
      {
        onError: (error) => {
          if (error instanceof ApiError) {
            setErrors(fieldErrors(error));
          }
        },
      },
    );
  }

  return (
    <div className="stack">
      <form className="stack" onSubmit={submit} noValidate aria-label="Test request">
        <div className="request-line">
          <SelectField
            label="Method"
            value={draft.method}
            options={METHOD_OPTIONS}
            error={errors.method}
            onChange={(value) => setDraft({ ...draft, method: value as HttpMethod })}
          />
          <TextField
            label="Endpoint"
            className="request-line__endpoint"
            value={draft.endpoint}
            placeholder="/users/1"
            hint={baseUrl ? `Appended to ${baseUrl}` : undefined}
            error={errors.endpoint}
            autoComplete="off"
            spellCheck={false}
            onChange={(value) => setDraft({ ...draft, endpoint: value })}
          />
        </div>
        {hasBody && (
          <TextAreaField
            label="Body (JSON, optional)"
            className="mono"
            rows={5}
            value={draft.body}
            placeholder={'{\n  "name": "Ada"\n}'}
            error={errors.body}
            spellCheck={false}
            onChange={(value) => setDraft({ ...draft, body: value })}
          />
        )}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={test.isPending}>
            Send test request
          </Button>
        </div>
      </form>
      {test.isPending && <p className="muted" role="status">Calling the API…</p>}
      {test.data && !test.isPending && <CallResult result={test.data} title="Test response" />}
    </div>
  );
}
