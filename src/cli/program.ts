/**
 * The command line (`npx yosoku …`, `npm run cli -- …`) on commander: every command has --help.
 * Client commands talk to a running server through the typed client; `serve` and `secret-key`
 * use the store directly, like `npm start`; `gbdt` is the bare engine.
 */
import { Command, CommanderError, Option } from 'commander';
import { clientOf, CliError, describeFailure, DEFAULT_SERVER, type GlobalOptions } from './context.js';
import { dataSetsCommand, deleteCommand, DELETABLE, deployCommand, modelsCommand, predictCommand, reportCommand, statusCommand } from './resources.js';
import { checkDownloadArguments, downloadCommand, uploadCommand, type DownloadOptions, type UploadOptions } from './files.js';
import { retrainCommand, type RetrainOptions } from './retrain.js';
import { checkTrainArguments, trainCommand, type TrainOptions } from './train.js';

const SECRET_KEY_USAGE = 'usage: cli secret-key create --user NAME';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --server, --secret-key and --json on every client command. */
function clientCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .addOption(new Option('--server <url>', `the server (default: YOSOKU_URL or ${DEFAULT_SERVER})`))
    .addOption(new Option('--secret-key <key>', 'the secret key (default: YOSOKU_SECRET_KEY or DATA_DIR/secret-key.txt)'))
    .option('--json', 'print machine-readable JSON');
}

async function secretKeyCreate(user: string | undefined): Promise<number> {
  if (user === undefined || user === '') {
    process.stderr.write(`${SECRET_KEY_USAGE}\n`);
    return 2;
  }
  // The store, not the server: the first key of a fresh install is made before anything serves.
  const [{ loadConfig }, { openRuntime }, { AuthService }] = await Promise.all([import('../config.js'), import('../main.js'), import('../services/index.js')]);
  const { storage, deps } = await openRuntime(loadConfig());
  try {
    const created = await new AuthService(deps).createSecretKey(user);
    // One JSON line, spaced like the documented output (and Python's json.dumps).
    process.stdout.write(`{"user_id": ${JSON.stringify(created.userId)}, "secret_key": ${JSON.stringify(created.secretKey)}}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

/** Builds the program; `setExitCode` receives the exit code of a command that finished. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('yosoku')
    .description('Yosoku: AutoML with the Prediction One API. Client commands talk to a running server (yosoku serve).')
    .showHelpAfterError()
    .exitOverride();
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      await action(...args);
      setExitCode(0);
    };

  program
    .command('serve')
    .description('start the server (the same as npm start; environment variables as in the README)')
    .action(async () => {
      const { main } = await import('../main.js');
      await main();
    });

  program
    .command('secret-key')
    .description('manage secret keys (in the store of DATA_DIR or DATABASE_URL, no server needed)')
    .command('create')
    .description('create a user and print {"user_id", "secret_key"} as one JSON line')
    .option('--user <name>', 'the user name')
    .action(async (o: { user?: string }) => setExitCode(await secretKeyCreate(o.user)));

  clientCommand(program, 'upload', 'upload FILE to a new training process; print its external_process_id and columns')
    .argument('<file>', 'training data: .csv, .tsv or .xlsx (UTF-8 or Shift_JIS)')
    .option('--eval <file>', 'an evaluation file with the same columns (only evaluates)')
    .option('--column-info <file>', 'a column_info.csv (column_name,column_type) to set column types')
    .option('--sheet <name>', 'the sheet of an .xlsx file (default: the first)')
    .action(run((file: string, o: UploadOptions) => uploadCommand(clientOf(o), file, o)));

  clientCommand(program, 'train', 'upload FILE (or take --process), train, write the result zip and print the headline metrics')
    .argument('[file]', 'training data: .csv, .tsv or .xlsx (UTF-8 or Shift_JIS)')
    .option('--process <external_process_id>', 'train what yosoku upload uploaded, instead of FILE')
    .requiredOption('--target <column>', 'the column to predict')
    .option('--type <type>', 'binary, multiclass or regression (default: regression with the time-series flags, else guessed from the target)')
    .option('--positive <value>', 'the positive value of a binary target (default: guessed)')
    .option('--eval <file>', 'an evaluation file with the same columns (only evaluates)')
    .option('--cv <k>', '0 automatic, -1 cross-validation with automatic k, 1 hold-out, k ≥ 2 folds')
    .option('--sheet <name>', 'the sheet of an .xlsx file (default: the first)')
    .option('--time-column <column>', 'time-series: the time column')
    .option('--horizon <a..b>', 'time-series: steps ahead, N or A..B (tsf, tst)')
    .option('--tsu <unit>', 'time-series: the time unit, year, month, day, hour, minute or eom (default: inferred)')
    .option('--tsi <n>', 'time-series: the interval in --tsu units (default: inferred)')
    .option('--tss <column>', 'time-series: the series column, when the file holds several series')
    .option('--tsine <column>', 'time-series: a column known at the forecast times (repeatable); with --tsin, one that is not', collect)
    .option('--tsin', 'time-series: the other columns are known at the forecast times (--tsine lists the exceptions)')
    .option('--holidays <code>', 'time-series: the holiday calendar, an ISO 3166-1 alpha-2 code or none (default: JP)')
    .option('--time-budget <seconds>', 'the AutoML search budget')
    .option('--name <name>', 'the model name (default: the file name)')
    .option('--out <dir>', 'where to write result-<model_id>.zip', '.')
    .action(run((file: string | undefined, o: TrainOptions) => (checkTrainArguments(file, o), trainCommand(clientOf(o), file, o))));

  clientCommand(program, 'status', 'show the status of a training')
    .argument('<external_process_id>')
    .action(run((id: string, o: GlobalOptions) => statusCommand(clientOf(o), id, o)));

  clientCommand(program, 'download', "write a finished training's result zip (result-<model_id>.zip) and print its path")
    .argument('[external_process_id]')
    .option('--model <id>', 'the training of this model, instead of EXTERNAL_PROCESS_ID')
    .option('--out <file>', 'where to write the zip (default: result-<model_id>.zip)')
    .action(run((id: string | undefined, o: DownloadOptions) => (checkDownloadArguments(id, o), downloadCommand(clientOf(o), id, o))));

  clientCommand(program, 'models', 'list your models (newest first)')
    .option('--limit <n>', 'at most n (1–1000)')
    .action(run((o: GlobalOptions & { limit?: string }) => modelsCommand(clientOf(o), o)));

  clientCommand(program, 'data-sets', 'list your data sets (newest first)')
    .option('--limit <n>', 'at most n (1–1000)')
    .action(run((o: GlobalOptions & { limit?: string }) => dataSetsCommand(clientOf(o), o)));

  clientCommand(program, 'delete', 'delete a model, a data set or a classifier')
    .addArgument(new Command().createArgument('<kind>', DELETABLE.join(' | ')).choices(DELETABLE))
    .argument('<id>')
    .action(run((kind: string, id: string, o: GlobalOptions) => deleteCommand(clientOf(o), kind, id, o)));

  clientCommand(program, 'deploy', 'deploy a model as a prediction API; prints its URL and key')
    .argument('<model_id>')
    .option('--allow <cidr>', 'allow only these source addresses (repeatable), e.g. 203.0.113.0/24', collect)
    .action(run((model: string, o: GlobalOptions & { allow?: string[] }) => deployCommand(clientOf(o), model, o)));

  clientCommand(program, 'predict', 'predict FILE (any size, as a batch prediction) with a model or a classifier')
    .argument('<file>', 'rows to predict: .csv or .xlsx')
    .option('--model <id>', 'a model (a classifier serving it is used or created)')
    .option('--classifier <id>', 'a classifier')
    .option('--reasons', 'also write the top reasons (OUT.reasons.csv)')
    .option('--sheet <name>', 'the sheet of an .xlsx file')
    .option('--out <file>', 'write the predictions here (default: stdout)')
    .action(
      run((file: string, o: GlobalOptions & { model?: string; classifier?: string; reasons?: boolean; out?: string; sheet?: string }) =>
        predictCommand(clientOf(o), file, o),
      ),
    );

  clientCommand(program, 'retrain', 'retrain a model on FILE with its stored config; write the comparison zip (retrain-<model_id>.zip) and print the metrics')
    .argument('<model_id>')
    .argument('<file>', 'the new training data: .csv, .tsv, .xlsx, or a zip with train_src/ (and eval_src/)')
    .option('--switch', 'then switch the classifier serving the model to the new one (same URL and key)')
    .option('--sheet <name>', 'the sheet of an .xlsx file')
    .option('--out <dir>', 'where to write retrain-<model_id>.zip', '.')
    .action(run((model: string, file: string, o: RetrainOptions) => retrainCommand(clientOf(o), model, file, o)));

  program
    .command('report')
    .description("write a result zip's report.html beside it (RESULT-report.html) and print its path")
    .argument('<result_zip>')
    .option('--out <file>', 'where to write the report')
    .option('--json', 'print machine-readable JSON')
    .action(run((zip: string, o: GlobalOptions & { out?: string }) => reportCommand(zip, o)));

  program
    .command('gbdt')
    .description('the bare GBDT engine: gbdt train … | gbdt predict … (gbdt --help for its options)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      const { runGbdtCli } = await import('./gbdt.js');
      setExitCode(await runGbdtCli(args));
    });
  return program;
}

/**
 * Runs the command line; resolves to the exit code: 0 done, 1 failed (the API's code and message
 * on stderr), 2 a usage error.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; a usage error was already printed with the help hint.
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`${describeFailure(err)}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
