// Edits an integration's actions: add, edit, reorder and remove, each with its parameters.

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/form';
import { HTTP_METHODS, type HttpMethod } from '@/types/api';
import { emptyAction, withActionName, type ActionDraft, type ParameterDraft } from './integration-draft';
import { ParametersEditor } from './parameters-editor';

const METHOD_OPTIONS = HTTP_METHODS.map((value) => ({ value, label: value }));

type Props = {
  actions: ActionDraft[];
  errors: Record<string, string>;
  /** changedPath names the edited field (its error is cleared); reordered means indices moved. */
  onChange: (actions: ActionDraft[], change: { changedPath?: string; reordered?: boolean }) => void;
};

function actionLabel(action: ActionDraft, index: number): string {
  const name = action.action_name.trim() || action.action_id.trim();
  return `Action ${index + 1}${name ? `: ${name}` : ''}`;
}

function hasErrorUnder(errors: Record<string, string>, prefix: string): boolean {
  return Object.keys(errors).some((path) => path === prefix || path.startsWith(`${prefix}.`));
}

export function ActionsEditor({ actions, errors, onChange }: Props) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(actions.length === 1 ? [actions[0]!.key] : []));

  function setOpen(key: string, open: boolean) {
    setExpanded((current) => {
      const next = new Set(current);
      if (open) {
        next.add(key);
      } else {
        next.delete(key);
      }
      return next;
    });
  }

  function update(index: number, next: ActionDraft, field?: string) {
    onChange(
      actions.map((a, i) => (i === index ? next : a)),
      { changedPath: field ? `actions[${index}].${field}` : undefined },
    );
  }

  function move(index: number, delta: -1 | 1) {
    const target = index + delta;
    if (target < 0 || target >= actions.length) {
      return;
    }
    const next = [...actions];
    const [moved] = next.splice(index, 1);
    next.splice(target, 0, moved!);
    onChange(next, { reordered: true });
    // Keep keyboard focus on the button that was pressed, or its twin when it became disabled at an end.
    const direction = delta < 0 ? 'up' : 'down';
    const atEnd = target === 0 || target === actions.length - 1;
    const focusId = `${moved!.key}-${atEnd ? (direction === 'up' ? 'down' : 'up') : direction}`;
    window.requestAnimationFrame(() => document.getElementById(focusId)?.focus());
  }

  function remove(index: number) {
    const removed = actions[index]!;
    onChange(
      actions.filter((_, i) => i !== index),
      { reordered: true },
    );
    setOpen(removed.key, false);
  }

  function add() {
    const action = emptyAction();
    onChange([...actions, action], {});
    setOpen(action.key, true);
    window.requestAnimationFrame(() => document.getElementById(`${action.key}-name`)?.focus());
  }

  return (
    <div className="actions-editor">
      {errors.actions && <p className="field__error">{errors.actions}</p>}
      {actions.length === 0 && (
        <p className="muted">No actions yet. An action is one endpoint of the API, like “List users” (GET /users).</p>
      )}
      <ol className="action-list">
        {actions.map((action, index) => {
          const label = actionLabel(action, index);
          const prefix = `actions[${index}]`;
          const open = expanded.has(action.key) || hasErrorUnder(errors, prefix);
          return (
            <li key={action.key} className="action-card" role="group" aria-label={label}>
              <div className="action-card__summary">
                <Badge tone="info">{action.http_method}</Badge>
                <span className="action-card__title">
                  <span className="action-card__name">{action.action_name || action.action_id || 'Untitled action'}</span>
                  <code className="action-card__endpoint">{action.endpoint}</code>
                </span>
                <span className="action-card__buttons">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-expanded={open}
                    aria-controls={`${action.key}-body`}
                    aria-label={`${open ? 'Collapse' : 'Edit'} ${label}`}
                    onClick={() => setOpen(action.key, !open)}
                  >
                    {open ? 'Collapse' : 'Edit'}
                  </Button>
                  <Button id={`${action.key}-up`} size="sm" variant="ghost" aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                    ↑
                  </Button>
                  <Button
                    id={`${action.key}-down`}
                    size="sm"
                    variant="ghost"
                    aria-label={`Move ${label} down`}
                    disabled={index === actions.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓
                  </Button>
                  <Button size="sm" variant="ghost" className="text-danger" aria-label={`Remove ${label}`} onClick={() => remove(index)}>
                    Remove
                  </Button>
                </span>
              </div>
              {errors[prefix] && <p className="field__error">{errors[prefix]}</p>}
              {open && (
                <div id={`${action.key}-body`} className="action-card__body">
                  <div className="grid-2">
                    <TextField
                      id={`${action.key}-name`}
                      label="Action name"
                      value={action.action_name}
                      placeholder="List users"
                      error={errors[`${prefix}.action_name`]}
                      onChange={(value) => update(index, withActionName(action, value), 'action_name')}
                    />
                    <TextField
                      label="Action ID"
                      value={action.action_id}
                      placeholder="list_users"
                      hint="Lowercase letters, digits and _; unique in this integration."
                      error={errors[`${prefix}.action_id`]}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(value) => update(index, { ...action, action_id: value, idEdited: true }, 'action_id')}
                    />
                    <SelectField
                      label="HTTP method"
                      value={action.http_method}
                      options={METHOD_OPTIONS}
                      error={errors[`${prefix}.http_method`]}
                      onChange={(value) => update(index, { ...action, http_method: value as HttpMethod }, 'http_method')}
                    />
                    <TextField
                      label="Endpoint"
                      value={action.endpoint}
                      placeholder="/users/{user_id}"
                      hint="Path after the base URL. {placeholders} are filled from path parameters."
                      error={errors[`${prefix}.endpoint`]}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(value) => update(index, { ...action, endpoint: value }, 'endpoint')}
                    />
                  </div>
                  <TextAreaField
                    label="Action description"
                    rows={2}
                    value={action.description}
                    error={errors[`${prefix}.description`]}
                    onChange={(value) => update(index, { ...action, description: value }, 'description')}
                  />
                  <ParametersEditor
                    pathPrefix={prefix}
                    actionLabel={label}
                    parameters={action.parameters}
                    errors={errors}
                    onChange={(parameters: ParameterDraft[], changedPath?: string) =>
                      onChange(
                        actions.map((a, i) => (i === index ? { ...a, parameters } : a)),
                        changedPath ? { changedPath } : { reordered: true },
                      )
                    }
                  />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <Button onClick={add}>+ Add action</Button>
    </div>
  );
}
