// A shop whose every data value is Russian, built from the bundled sample
// (crates/sample-gen): only the customers of its Russian regions are kept
// (their comments and churn reasons are written in Russian), ids, channels,
// plans and yes/no flags are put in Russian, and the files are written as a
// Russian export is: Russian headers, ';' between fields, dd.mm.yyyy dates
// and a decimal comma.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CHANNEL = { web: 'сайт', app: 'приложение', store: 'магазин' };
const YES_NO = { yes: 'да', no: 'нет', '': '' };
const PLAN = { standard: 'стандарт', premium: 'премиум', club: 'клуб' };

/** Splits one CSV line of the sample (',' with "" quoting). */
function splitCsv(line) {
  const out = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

function readCsv(path) {
  const [head, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = splitCsv(head);
  return rows.map((line) => Object.fromEntries(splitCsv(line).map((v, i) => [names[i], v])));
}

const field = (v) => (/[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const date = (iso) => (iso ? iso.split('-').reverse().join('.') : '');
const money = (v) => v.replace('.', ',');
const id = (v) => v.replace(/^C/, 'К');
const isRussian = (text) => /[А-Яа-яЁё]/.test(text);

function writeCsv(path, header, rows) {
  const lines = [header.join(';'), ...rows.map((r) => r.map(field).join(';'))];
  writeFileSync(path, lines.join('\r\n') + '\r\n');
}

/** Writes заказы.csv, опрос.csv and ушедшие.csv into `dir`; returns their paths. */
export function buildRussianShop(sampleDir, dir) {
  mkdirSync(dir, { recursive: true });
  const orders = readCsv(join(sampleDir, 'orders.csv')).filter((o) => isRussian(o.region));
  const kept = new Set(orders.map((o) => o.customer_id));
  const survey = readCsv(join(sampleDir, 'survey.csv')).filter(
    (s) => kept.has(s.customer_id) && isRussian(s.region) && (s.comment === '' || isRussian(s.comment)),
  );
  const churned = readCsv(join(sampleDir, 'churned.csv')).filter(
    (c) => kept.has(c.customer_id) && (c.reason === '' || isRussian(c.reason)),
  );
  const paths = [join(dir, 'заказы.csv'), join(dir, 'опрос.csv'), join(dir, 'ушедшие.csv')];
  writeCsv(
    paths[0],
    ['Номер заказа', 'Код клиента', 'Дата заказа', 'Сумма, руб.', 'Канал', 'Регион', 'Участник программы', 'Скидка'],
    orders.map((o) => [o.order_id, id(o.customer_id), date(o.order_date), money(o.amount), CHANNEL[o.channel] ?? o.channel, o.region, YES_NO[o.loyalty_member], money(o.discount)]),
  );
  writeCsv(
    paths[1],
    ['Код клиента', 'Дата ответа', 'Оценка NPS', 'Оценка CSAT', 'Комментарий', 'Была проблема', 'Регион'],
    survey.map((s) => [id(s.customer_id), date(s.response_date), s.nps, s.csat, s.comment, YES_NO[s.had_problem], s.region]),
  );
  writeCsv(
    paths[2],
    ['Код клиента', 'Клиент с', 'Дата ухода', 'Тариф', 'Ежемесячный платёж', 'Причина ухода'],
    churned.map((c) => [id(c.customer_id), date(c.customer_since), date(c.churn_date), PLAN[c.plan] ?? c.plan, money(c.mrr), c.reason]),
  );
  return paths;
}
