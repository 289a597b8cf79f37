import { type Kysely, type Migration, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The store's versioned migrations, in order of their names. Each is written to be run again
 * safely (if not exists), and the migrator runs them under a lock: PostgreSQL's advisory lock, or
 * an immediate transaction on the SQLite file, so that copies starting at once migrate once.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    '2026-11-30-1-feedback': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('reports')
          .ifNotExists()
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('guide', 'text', (c) => c.notNull())
          .addColumn('step', 'integer')
          .addColumn('tool', 'text')
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('comment', 'text', (c) => c.notNull())
          .addColumn('release', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('handled_at', 'text')
          .addColumn('handled_by', 'text')
          .execute();
        await db.schema.createIndex('reports_open').ifNotExists().on('reports').columns(['handled_at', 'guide', 'step', 'language']).execute();
        await db.schema
          .createTable('screen_answers')
          .ifNotExists()
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('guide', 'text', (c) => c.notNull())
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('screen', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('release', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('screen_answers_by_screen').ifNotExists().on('screen_answers').columns(['guide', 'screen', 'created_at']).execute();
        await db.schema
          .createTable('editors')
          .ifNotExists()
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('editor_id', 'integer', (c) => c.notNull().references('editors.id').onDelete('cascade'))
          .addColumn('csrf', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('throttle')
          .ifNotExists()
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('window', 'text', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('throttle_pk', ['key', 'window'])
          .execute();
        await db.schema
          .createTable('settings')
          .ifNotExists()
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await sql`insert into settings (name, value) values ('address-salt', ${randomHex()}) on conflict (name) do nothing`.execute(db);
      },
    },
    '2026-12-06-1-answer-sources-and-links': {
      async up(db: Kysely<unknown>) {
        // Earlier answers have no source: the dashboard counts them apart.
        await db.schema.alterTable('screen_answers').addColumn('source', 'text').execute();
        // A report written after a "No" to a screen is linked to that answer.
        await db.schema.alterTable('reports').addColumn('answer_id', 'integer').execute();
        await db.schema
          .createIndex('reports_open_groups')
          .ifNotExists()
          .on('reports')
          .columns(['handled_at', 'guide', 'step', 'tool', 'language', 'id'])
          .execute();
      },
    },
    '2026-12-06-2-roles-and-audit': {
      async up(db: Kysely<unknown>) {
        // Accounts made before roles existed are editors, with no language of their own yet.
        await db.schema
          .alterTable('editors')
          .addColumn('role', 'text', (c) => c.notNull().defaultTo('editor'))
          .execute();
        await db.schema
          .alterTable('editors')
          .addColumn('languages', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
        await db.schema
          .createTable('audit')
          .ifNotExists()
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('account', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '2026-12-06-3-change-sets': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('change_sets')
          .ifNotExists()
          .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('summary_language', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('comment', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('published_by', 'text')
          .addColumn('published_at', 'text')
          .addColumn('revision', 'text')
          .execute();
        await db.schema.createIndex('change_sets_by_author').ifNotExists().on('change_sets').columns(['author', 'status']).execute();
        await db.schema
          .createTable('changes')
          .ifNotExists()
          .addColumn('change_set_id', 'integer', (c) => c.notNull().references('change_sets.id').onDelete('cascade'))
          .addColumn('guide', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('text_id', 'text', (c) => c.notNull())
          .addColumn('base', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('source', 'text')
          .addColumn('checked', 'text')
          .addPrimaryKeyConstraint('changes_pk', ['change_set_id', 'guide', 'language', 'text_id'])
          .execute();
        await db.schema
          .createTable('approvals')
          .ifNotExists()
          .addColumn('change_set_id', 'integer', (c) => c.notNull().references('change_sets.id').onDelete('cascade'))
          .addColumn('reviewer', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('approvals_pk', ['change_set_id', 'reviewer'])
          .execute();
      },
    },
    '2026-12-06-4-change-marks': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('changes').addColumn('mark', 'text').execute();
      },
    },
  };
}

const randomHex = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
