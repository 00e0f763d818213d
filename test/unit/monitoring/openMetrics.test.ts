import { strict as assert } from 'node:assert';

import {
  type MetricFamily,
  negotiateFormat,
  renderOpenMetrics,
  renderPrometheusText,
} from '../../../src/core/monitoring/openMetrics';

const families: MetricFamily[] = [
  {
    name: 'x_health',
    type: 'stateset',
    help: 'Health.',
    samples: [
      { labels: { server: 'a', x_health: 'ok' }, value: 1 },
      { labels: { server: 'a', x_health: 'failing' }, value: 0 },
    ],
  },
  {
    name: 'x_archived',
    type: 'counter',
    help: 'Archived "files"\nper server \\ total.',
    samples: [{ labels: { server: 'a"b\\c\nd' }, value: 12 }],
  },
  {
    name: 'x_worst_seconds',
    type: 'gauge',
    help: 'Worst case.',
    unit: 'seconds',
    samples: [{ labels: { server: 'a' }, value: Number.POSITIVE_INFINITY }],
  },
  { name: 'x_empty', type: 'gauge', help: 'Nothing.', samples: [] },
];

describe('OpenMetrics rendering', () => {
  it('OpenMetrics 1.0: TYPE, UNIT, HELP, _total counters, state sets, escapes, # EOF', () => {
    assert.equal(
      renderOpenMetrics(families),
      [
        '# TYPE x_health stateset',
        '# HELP x_health Health.',
        'x_health{server="a",x_health="ok"} 1',
        'x_health{server="a",x_health="failing"} 0',
        '# TYPE x_archived counter',
        '# HELP x_archived Archived \\"files\\"\\nper server \\\\ total.',
        'x_archived_total{server="a\\"b\\\\c\\nd"} 12',
        '# TYPE x_worst_seconds gauge',
        '# UNIT x_worst_seconds seconds',
        '# HELP x_worst_seconds Worst case.',
        'x_worst_seconds{server="a"} +Inf',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('Prometheus text 0.0.4 for older scrapers: gauges for state sets, the _total name on counters, no EOF', () => {
    assert.equal(
      renderPrometheusText(families),
      [
        '# HELP x_health Health.',
        '# TYPE x_health gauge',
        'x_health{server="a",x_health="ok"} 1',
        'x_health{server="a",x_health="failing"} 0',
        '# HELP x_archived_total Archived "files"\\nper server \\\\ total.',
        '# TYPE x_archived_total counter',
        'x_archived_total{server="a\\"b\\\\c\\nd"} 12',
        '# HELP x_worst_seconds Worst case.',
        '# TYPE x_worst_seconds gauge',
        'x_worst_seconds{server="a"} +Inf',
        '',
      ].join('\n'),
    );
  });

  it('refuses families that would make invalid text (a programming error, caught by tests)', () => {
    assert.throws(
      () => renderOpenMetrics([{ name: 'a_total', type: 'counter', help: '', samples: [] }]),
      /must not end in _total/,
    );
    assert.throws(
      () => renderOpenMetrics([{ name: 'a_age', type: 'gauge', help: '', unit: 'seconds', samples: [] }]),
      /must end in _seconds/,
    );
    assert.throws(
      () =>
        renderOpenMetrics([
          {
            name: 'a',
            type: 'gauge',
            help: '',
            samples: [
              { labels: { s: '1' }, value: 1 },
              { labels: { s: '1' }, value: 2 },
            ],
          },
        ]),
      /repeated/,
    );
    assert.throws(
      () => renderOpenMetrics([{ name: 'a', type: 'stateset', help: '', samples: [{ labels: { s: '1' }, value: 1 }] }]),
      /needs the label a/,
    );
  });

  it('OpenMetrics only for scrapers that ask for it', () => {
    assert.equal(
      negotiateFormat(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
      'openmetrics',
    );
    assert.equal(negotiateFormat('text/plain'), 'prometheus');
    assert.equal(negotiateFormat(undefined), 'prometheus');
  });
});
