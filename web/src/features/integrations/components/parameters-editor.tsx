// Edits one action's parameters: name, where it goes, type, required, default and description.

import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextField } from '@/components/ui/form';
import { PARAMETER_LOCATIONS, PARAMETER_TYPES, type ParameterLocation, type ParameterType } from '@/types/api';
import { emptyParameter, type ParameterDraft } from './integration-draft';

const LOCATION_OPTIONS = PARAMETER_LOCATIONS.map((value) => ({ value, label: value }));
const TYPE_OPTIONS = PARAMETER_TYPES.map((value) => ({ value, label: value }));

type Props = {
  /** Error paths are relative to this prefix, e.g. "actions[1]". */
  pathPrefix: string;
  actionLabel: string;
  parameters: ParameterDraft[];
  errors: Record<string, string>;
  onChange: (parameters: ParameterDraft[], changedPath?: string) => void;
};

export function ParametersEditor({ pathPrefix, actionLabel, parameters, errors, onChange }: Props) {
  function update(index: number, patch: Partial<ParameterDraft>, field: string) {
    onChange(
      parameters.map((p, i) => (i === index ? { ...p, ...patch } : p)),
      `${pathPrefix}.parameters[${index}].${field}`,
    );
  }

  return (
    <div className="parameters">
      <div className="parameters__header">
        <h4 className="subheading">Parameters</h4>
        {errors[`${pathPrefix}.parameters`] && <p className="field__error">{errors[`${pathPrefix}.parameters`]}</p>}
      </div>
      {parameters.length === 0 && <p className="muted">No parameters. Path placeholders like {'{user_id}'} need one each.</p>}
      {parameters.map((parameter, index) => {
        const path = `${pathPrefix}.parameters[${index}]`;
        const label = `Parameter ${index + 1}${parameter.name ? `: ${parameter.name}` : ''}`;
        return (
          <div key={parameter.key} className="parameter-row" role="group" aria-label={`${label} of ${actionLabel}`}>
            {errors[path] && <p className="field__error parameter-row__error">{errors[path]}</p>}
            <TextField
              label="Parameter name"
              value={parameter.name}
              error={errors[`${path}.name`]}
              placeholder="user_id"
              autoComplete="off"
              spellCheck={false}
              onChange={(name) => update(index, { name }, 'name')}
            />
            <SelectField
              label="In"
              value={parameter.in}
              options={LOCATION_OPTIONS}
              error={errors[`${path}.in`]}
              onChange={(value) => update(index, { in: value as ParameterLocation }, 'in')}
            />
            <SelectField
              label="Type"
              value={parameter.type}
              options={TYPE_OPTIONS}
              error={errors[`${path}.type`]}
              onChange={(value) => update(index, { type: value as ParameterType }, 'type')}
            />
            <TextField
              label="Default"
              value={parameter.default}
              error={errors[`${path}.default`]}
              placeholder={parameter.type === 'object' ? '{}' : parameter.type === 'array' ? '[]' : 'optional'}
              autoComplete="off"
              onChange={(value) => update(index, { default: value }, 'default')}
            />
            <TextField
              label="Parameter description"
              className="parameter-row__wide"
              value={parameter.description}
              error={errors[`${path}.description`]}
              autoComplete="off"
              onChange={(description) => update(index, { description }, 'description')}
            />
            <CheckboxField
              label="Required"
              checked={parameter.required}
              error={errors[`${path}.required`]}
              onChange={(required) => update(index, { required }, 'required')}
            />
            <Button
              variant="ghost"
              size="sm"
              className="parameter-row__remove"
              aria-label={`Remove ${label.toLowerCase()} of ${actionLabel}`}
              onClick={() => onChange(parameters.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </div>
        );
      })}
      <Button size="sm" onClick={() => onChange([...parameters, emptyParameter()])} aria-label={`Add parameter to ${actionLabel}`}>
        + Add parameter
      </Button>
    </div>
  );
}
