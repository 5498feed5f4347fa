import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { parseIntOption, parseJson } from '../format.ts';
import { readDatasetFiles, readModelDir } from '../files.ts';

export function registerUpload(program: Command, run: (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>): void {
  const upload = program.command('upload').description('upload a model or a dataset');

  upload
    .command('model <dir>')
    .description('upload a tfjs layers model (model.json and the weight shards it lists); prints the model id')
    .option('--name <name>', 'model name (default: the directory name)')
    .option('--feature-layer <layer>', 'the penultimate (feature) layer, when it is not named "features"')
    .option('--preprocessing <json>', 'input preprocessing, e.g. \'{"kind":"meanStd","mean":[...],"std":[...]}\'')
    .action(
      run(async (ctx, cmd) => {
        const [dir] = cmd.args;
        const o = cmd.opts<{ name?: string; featureLayer?: string; preprocessing?: string }>();
        const files = await readModelDir(dir);
        const name = o.name ?? basename(resolve(dir));
        ctx.info(`uploading model "${name}": ${files.files.length} file(s)`);
        const model = await ctx.client.uploadModel({
          name,
          modelJson: files.modelJson,
          weights: files.weights,
          featureLayer: o.featureLayer,
          preprocessing: o.preprocessing === undefined ? undefined : parseJson(o.preprocessing, '--preprocessing'),
        });
        ctx.info(`uploaded model "${model.name}": ${model.parameterCount} parameters, input ${model.inputShape.join('x')}, ${model.numClasses} classes, sha256 ${model.sha256.slice(0, 12)}`);
        for (const w of model.warnings) ctx.info(`warning: ${w}`);
        ctx.out(model.id);
      }),
    );

  upload
    .command('dataset <files...>')
    .description('upload an IDX images/labels pair (raw or gzip) or CIFAR-10 batch files; prints the dataset id')
    .option('--name <name>', 'dataset name (default: the first file name)')
    .option('--format <format>', 'idx or cifar10 (default: cifar10 for *.bin files, else idx)')
    .option('--class-names <names>', 'comma-separated class names')
    .option('--num-classes <n>', 'number of classes (default: from the labels)')
    .option('--train-size <n>', 'examples in the train split')
    .option('--test-size <n>', 'examples in the test split')
    .action(
      run(async (ctx, cmd) => {
        const paths = cmd.args;
        const o = cmd.opts<{ name?: string; format?: string; classNames?: string; numClasses?: string; trainSize?: string; testSize?: string }>();
        const files = await readDatasetFiles(paths, o.format);
        // "digits-images.idx" -> "digits", "train-images-idx3-ubyte.gz" -> "train".
        const name = o.name ?? (basename(paths[0]).replace(/[-_.]?(images|labels|idx\d|ubyte|gz|bin)+.*$/i, '') || basename(paths[0]));
        ctx.info(`uploading ${files.format} dataset "${name}": ${paths.length} file(s)`);
        const ds = await ctx.client.uploadDataset({
          name,
          ...files,
          ...(o.classNames ? { classNames: o.classNames.split(',').map((s) => s.trim()) } : {}),
          ...(o.numClasses ? { numClasses: parseIntOption(o.numClasses, '--num-classes', 2) } : {}),
          ...(o.trainSize ? { trainSize: parseIntOption(o.trainSize, '--train-size', 1) } : {}),
          ...(o.testSize ? { testSize: parseIntOption(o.testSize, '--test-size', 1) } : {}),
        });
        ctx.info(`uploaded dataset "${ds.name}": ${ds.count} examples (${ds.trainSize} train / ${ds.testSize} test), input ${ds.inputShape.join('x')}, ${ds.numClasses} classes`);
        ctx.out(ds.id);
      }),
    );
}
