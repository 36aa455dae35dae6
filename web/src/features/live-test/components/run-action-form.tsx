// Runs one of the integration's actions with a form generated from the action's parameter definitions.

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FormErrors, SelectField, TextAreaField, TextField } from '@/components/ui/form';
import { EmptyState } from '@/components/ui/states';
import { ApiError, fieldErrors } from '@/lib/api-client';
import { useDraftState } from '@/lib/drafts';
import { parseTyped } from '@/lib/typed-value';
import type { Action, JsonValue, Parameter } from '@/types/api';
import { customProvider, useExecuteAction } from '../api/execute-action';
import { CallResult } from './call-result';

type Draft = { actionId: string; values: Record<string, string> };

function ParameterInput({ parameter, value, error, onChange }: { parameter: Parameter; value: string; error?: string; onChange: (value: string) => void }) {
  const label = `${parameter.name}${parameter.required ? ' (required)' : ''}`;
  const where = `${parameter.in} · ${parameter.type}`;
  const hint = [parameter.description, where, parameter.default !== undefined ? `default ${JSON.stringify(parameter.default)}` : '']
    .filter(Boolean)
    .join(' — ');
  if (parameter.type === 'boolean') {
    return (
      <SelectField
        label={label}
        value={value}
        hint={hint}
        error={error}
        options={[
          { value: '', label: parameter.required ? 'Choose…' : 'Not set' },
          { value: 'true', label: 'true' },
          { value: 'false', label: 'false' },
        ]}
        onChange={onChange}
      />
    );
  }
  if (parameter.type === 'object' || parameter.type === 'array') {
    return <TextAreaField label={label} className="mono" rows={3} value={value} hint={hint} error={error} spellCheck={false} placeholder={parameter.type === 'array' ? '[]' : '{}'} onChange={onChange} />;
  }
  return (
    <TextField
      label={label}
      value={value}
      hint={hint}
      error={error}
      inputMode={parameter.type === 'integer' ? 'numeric' : parameter.type === 'number' ? 'decimal' : undefined}
      autoComplete="off"
      onChange={onChange}
    />
  );
}

export function RunActionForm({ integrationId, actions }: { integrationId: string; actions: Action[] }) {
  const [draft, setDraft] = useDraftState<Draft>(`run-action:${integrationId}`, { actionId: actions[0]?.action_id ?? '', values: {} });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string[]>([]);
  const execute = useExecuteAction();

  if (actions.length === 0) {
    return <EmptyState title="No actions to run">Add an action to this integration first.</EmptyState>;
  }
  const action = actions.find((a) => a.action_id === draft.actionId) ?? actions[0]!;

  function submit(event: FormEvent) {
    event.preventDefault();
    const params: Record<string, JsonValue> = {};
    const problems: Record<string, string> = {};
    for (const parameter of action.parameters) {
      const text = draft.values[parameter.name] ?? '';
      const parsed = parseTyped(text, parameter.type);
      if (!parsed.ok) {
        problems[parameter.name] = parsed.problem;
      } else if (parsed.value !== undefined) {
        params[parameter.name] = parsed.value;
      } else if (parameter.required && parameter.default === undefined) {
        problems[parameter.name] = 'This parameter is required.';
      }
    }
    setSummary([]);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      return;
    }
    execute.mutate(
      { provider: customProvider(integrationId), action: action.action_id, params },
      {
        onError: (error) => {
          if (!(error instanceof ApiError) || error.status === 401) {
            return;
          }
          const placed: Record<string, string> = {};
          const rest: string[] = [];
          for (const [field, problem] of Object.entries(fieldErrors(error))) {
            const name = field.replace(/^params\./, '').replace(/^params\[["']?([^\]"']+)["']?\]$/, '$1');
            if (action.parameters.some((p) => p.name === name)) {
              placed[name] = problem;
            } else {
              rest.push(`${field}: ${problem}`);
            }
          }
          setErrors(placed);
          setSummary(rest);
        },
      },
    );
  }

  return (
    <div className="stack">
      <form className="stack" onSubmit={submit} noValidate aria-label="Run action">
        <SelectField
          label="Action"
          value={action.action_id}
          options={actions.map((a) => ({ value: a.action_id, label: `${a.action_name || a.action_id} (${a.http_method} ${a.endpoint})` }))}
          onChange={(actionId) => {
            setDraft({ actionId, values: {} });
            setErrors({});
            execute.reset();
          }}
        />
        <FormErrors title="The server said:" problems={summary} />
        {action.parameters.length === 0 ? (
          <p className="muted">This action takes no parameters.</p>
        ) : (
          <div className="grid-2">
            {action.parameters.map((parameter) => (
              <ParameterInput
                key={`${action.action_id}:${parameter.name}`}
                parameter={parameter}
                value={draft.values[parameter.name] ?? ''}
                error={errors[parameter.name]}
                onChange={(value) => {
                  setDraft({ ...draft, actionId: action.action_id, values: { ...draft.values, [parameter.name]: value } });
                  setErrors(({ [parameter.name]: _removed, ...rest }) => rest);
                }}
              />
            ))}
          </div>
        )}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={execute.isPending}>
            Run action
          </Button>
        </div>
      </form>
      {execute.data && !execute.isPending && <CallResult result={execute.data} title="Action result" />}
    </div>
  );
}
