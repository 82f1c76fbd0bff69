/**
 * The training settings → `POST /v1/external/models` (spec §5 config keys). Nothing is preselected:
 * the user picks the target; the type and the positive value are then guessed from that column,
 * with the reason beside them, and stay editable. Time-series forecasting (regression only) sends
 * `tsm`, `tsc`, `tsf`/`tst`, and optionally `tss`, `tsin`/`tsine`, `tsu`/`tsi`. The server checks
 * every key; its answer is shown as it comes.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBox, useAction } from '../components/common.js';
import { call, UiError } from '../lib/api.js';
import { guessPositive, guessType, TYPE_CODE, type Reason, type TaskType } from '../lib/guess.js';
import { t } from '../lib/i18n.js';
import { go } from '../lib/route.js';
import { apiKey } from '../lib/session.js';
import type { ColumnInfo } from '../lib/types.js';
import { configOf, NO_TS, TIME_UNITS, type TimeSeries } from '../lib/train-config.js';
import { rememberTraining } from '../lib/work.js';
import { unusedColumns } from './columns.js';
import { taskLabel } from './labels.js';

function ReasonText({ reason, id }: { reason: Reason | null; id: string }): JSX.Element | null {
  return reason === null ? null : (
    <span class="reason" id={id}>
      {t(reason.key, reason.params)}
    </span>
  );
}

export function TrainForm({
  processId,
  info,
  target,
  onTarget,
  hasEvalFile,
}: {
  processId: string;
  info: ColumnInfo;
  target: string;
  onTarget: (target: string) => void;
  hasEvalFile: boolean;
}): JSX.Element {
  const [type, setType] = useState<TaskType | ''>('');
  const [typeReason, setTypeReason] = useState<Reason | null>(null);
  /** What was guessed for the target (the reason explains that guess, not a type the user chose). */
  const [guessed, setGuessed] = useState<TaskType | ''>('');
  const [positive, setPositive] = useState('');
  const [positiveReason, setPositiveReason] = useState<Reason | null>(null);
  const [cv, setCv] = useState('0');
  const [imbalance, setImbalance] = useState(false);
  const [budget, setBudget] = useState('');
  const [name, setName] = useState('');
  const [ts, setTs] = useState<TimeSeries>(NO_TS);
  const action = useAction();

  const columns = info.training_data_columns;
  const column = columns.find((c) => c.name === target);
  const dateColumns = columns.filter((c) => c.initial_data_type === TYPE_CODE.date).map((c) => c.name);
  const others = columns.filter((c) => c.name !== target && c.name !== ts.time && c.name !== ts.series).map((c) => c.name);
  const unused = target === '' ? [] : unusedColumns(info, target);

  const chooseTarget = (name: string) => {
    onTarget(name);
    const c = columns.find((x) => x.name === name);
    if (c === undefined) {
      setType('');
      setTypeReason(null);
      return;
    }
    const g = guessType(c);
    setType(g.type ?? '');
    setGuessed(g.type ?? '');
    setTypeReason(g.reason);
    const p = guessPositive(c.classify_value);
    setPositive(p?.value ?? '');
    setPositiveReason(p?.reason ?? null);
  };
  const patchTs = (change: Partial<TimeSeries>) => setTs({ ...ts, ...change });

  const submit = () =>
    action.run(async () => {
      if (target === '') throw new UiError('train.needTarget');
      if (type === '') throw new UiError('train.needType');
      if (ts.enabled && type === 'regression' && ts.time === '') throw new UiError('ts.needTime');
      const config = configOf({ target, type, positive, cv, imbalance, budget, ts });
      const modelName = name.trim() || target;
      await call('POST', 'v1/external/models', await apiKey('train'), { external_process_id: processId, name: modelName, config });
      rememberTraining({
        processId,
        name: modelName,
        target,
        type: ts.enabled && type === 'regression' ? 'time_series' : type,
        startedAt: new Date().toISOString(),
      });
      go({ view: 'training', processId });
    });

  return (
    <form
      id="train-form"
      class="train-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div class="grid">
        <label>
          <span>{t('train.target')}</span>
          <select id="train-target" value={target} onChange={(e) => chooseTarget(e.currentTarget.value)}>
            <option value="">{t('train.chooseTarget')}</option>
            {info.raw_column_names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('train.type')}</span>
          <select id="train-type" value={type} disabled={target === ''} onChange={(e) => setType(e.currentTarget.value as TaskType)}>
            <option value="">—</option>
            <option value="binary_classification">{t('type.binary')}</option>
            <option value="multi_classification">{t('type.multi')}</option>
            <option value="regression">{t('type.regression')}</option>
          </select>
          <ReasonText id="train-type-reason" reason={target === '' ? null : typeReason} />
          {target !== '' && guessed !== '' && type !== guessed ? (
            <span class="reason muted">{t('guess.changedFrom', { type: taskLabel(guessed) })}</span>
          ) : null}
        </label>
        {type === 'binary_classification' && column !== undefined ? (
          <label id="train-tv-label">
            <span>{t('train.tv')}</span>
            <select id="train-tv" value={positive} onChange={(e) => setPositive(e.currentTarget.value)}>
              {column.classify_value.map((v) => (
                <option key={v.name} value={v.name}>
                  {`${v.name} (${v.value})`}
                </option>
              ))}
            </select>
            <ReasonText id="train-tv-reason" reason={positiveReason} />
          </label>
        ) : null}
        {type !== 'regression' && type !== '' ? (
          <label class="check">
            <input id="train-im" type="checkbox" checked={imbalance} onChange={(e) => setImbalance(e.currentTarget.checked)} /> <span>{t('train.im')}</span>
          </label>
        ) : null}
        {!(ts.enabled && type === 'regression') ? (
          <label>
            <span>{t('train.cv')}</span>
            <select id="train-cv" value={cv} onChange={(e) => setCv(e.currentTarget.value)}>
              <option value="0">{t('cv.auto')}</option>
              <option value="1">{t('cv.holdout')}</option>
              <option value="-1">{t('cv.crossAuto')}</option>
              <option value="5">{t('cv.cross5')}</option>
            </select>
          </label>
        ) : null}
        <label>
          <span>{t('train.budget')}</span>
          <input id="train-budget" type="number" min="1" max="86400" step="1" value={budget} onInput={(e) => setBudget(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('train.name')}</span>
          <input id="train-name" type="text" maxLength={200} value={name} placeholder={target} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
      </div>

      {type === 'regression' ? (
        <fieldset class="ts" id="train-ts">
          <legend>
            <label class="check">
              <input id="ts-enabled" type="checkbox" checked={ts.enabled} onChange={(e) => patchTs({ enabled: e.currentTarget.checked })} />{' '}
              <span>{t('ts.enable')}</span>
            </label>
          </legend>
          {ts.enabled ? (
            <div class="grid">
              {hasEvalFile ? <p class="tag warn wide">{t('ts.noEvalFile')}</p> : null}
              <label>
                <span>{t('ts.time')}</span>
                <select id="ts-time" value={ts.time} onChange={(e) => patchTs({ time: e.currentTarget.value })}>
                  <option value="">{dateColumns.length === 0 ? t('ts.noDateColumn') : t('train.chooseTarget')}</option>
                  {dateColumns.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>{t('ts.from')}</span>
                <input id="ts-from" type="number" min="1" step="1" value={ts.from} onInput={(e) => patchTs({ from: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t('ts.to')}</span>
                <input id="ts-to" type="number" min={ts.from} step="1" value={ts.to} onInput={(e) => patchTs({ to: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t('ts.series')}</span>
                <select id="ts-series" value={ts.series} onChange={(e) => patchTs({ series: e.currentTarget.value })}>
                  <option value="">{t('ts.oneSeries')}</option>
                  {columns
                    .filter((c) => c.name !== target && c.initial_data_type !== TYPE_CODE.date)
                    .map((c) => (
                      <option key={c.name} value={c.name}>
                        {c.name}
                      </option>
                    ))}
                </select>
              </label>
              <label>
                <span>{t('ts.unit')}</span>
                <select id="ts-unit" value={ts.unit} onChange={(e) => patchTs({ unit: e.currentTarget.value })}>
                  {TIME_UNITS.map((u) => (
                    <option key={u} value={u}>
                      {t(`ts.unit.${u === '' ? 'auto' : u}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>{t('ts.interval')}</span>
                <input
                  id="ts-interval"
                  type="number"
                  min="0"
                  step="1"
                  placeholder={t('ts.auto')}
                  value={ts.interval}
                  onInput={(e) => patchTs({ interval: e.currentTarget.value })}
                />
              </label>
              <label>
                <span>{t('ts.holidays')}</span>
                <input
                  id="ts-holidays"
                  type="text"
                  list="ts-holiday-codes"
                  maxLength={4}
                  placeholder="JP"
                  value={ts.holidays}
                  onInput={(e) => patchTs({ holidays: e.currentTarget.value })}
                />
                <datalist id="ts-holiday-codes">
                  {['JP', 'US', 'GB', 'DE', 'FR', 'CN', 'KR', 'none'].map((code) => (
                    <option key={code} value={code}>
                      {code === 'none' ? t('ts.holidays.none') : code}
                    </option>
                  ))}
                </datalist>
              </label>
              <label class="check wide">
                <input
                  id="ts-known"
                  type="checkbox"
                  checked={ts.knownFuture}
                  onChange={(e) => patchTs({ knownFuture: e.currentTarget.checked, exceptions: [] })}
                />{' '}
                <span>{t('ts.knownFuture')}</span>
              </label>
              <div class="wide">
                <span class="field-label">{t(ts.knownFuture ? 'ts.exceptionsUnknown' : 'ts.exceptionsKnown')}</span>
                <div class="checks" id="ts-exceptions">
                  {others.map((n) => (
                    <label key={n} class="check">
                      <input
                        type="checkbox"
                        value={n}
                        checked={ts.exceptions.includes(n)}
                        onChange={(e) => patchTs({ exceptions: e.currentTarget.checked ? [...ts.exceptions, n] : ts.exceptions.filter((x) => x !== n) })}
                      />{' '}
                      <span>{n}</span>
                    </label>
                  ))}
                </div>
              </div>
              <p class="hint wide">{t('ts.hint')}</p>
            </div>
          ) : null}
        </fieldset>
      ) : null}

      {unused.length > 0 ? (
        <div class="unused" id="unused-columns">
          <h3>{t('unused.title')}</h3>
          <ul>
            {unused.map((u) => (
              <li key={u.name} data-unused={u.reason}>
                <strong>{u.name}</strong>: {t(`unused.why.${u.reason}`)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div class="actions">
        <button id="train-submit" type="submit" class="primary" disabled={action.busy}>
          {t('train.submit')}
        </button>
      </div>
      <ErrorBox id="train-error" error={action.error} />
    </form>
  );
}
