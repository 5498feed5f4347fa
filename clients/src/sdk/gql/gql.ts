/* eslint-disable */
import * as types from './graphql.ts';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ProgressFields on JobProgress {\n    phase\n    fraction\n    epoch\n    epochs\n    step\n    totalSteps\n    etaSeconds\n    examplesPerSecond\n    learningRate\n    terms\n    heldOutCleanAccuracy\n    heldOutPgdAccuracy\n    message\n  }\n": typeof types.ProgressFieldsFragmentDoc,
    "\n  fragment ModelFields on Model {\n    id\n    name\n    source\n    architecture\n    sha256\n    parameterCount\n    inputShape\n    numClasses\n    featureLayer\n    createdAt\n    warnings\n    files {\n      name\n      bytes\n      sha256\n      url\n    }\n  }\n": typeof types.ModelFieldsFragmentDoc,
    "\n  fragment DatasetFields on Dataset {\n    id\n    name\n    datasetFormat: format\n    datasetSource: source\n    count\n    trainSize\n    testSize\n    inputShape\n    numClasses\n  }\n": typeof types.DatasetFieldsFragmentDoc,
    "\n  fragment EvaluationFields on Evaluation {\n    id\n    createdAt\n    cleanAccuracy\n    numExamples\n    backend\n    seed\n    epsCurve {\n      eps\n      robustAccuracy\n    }\n    flags {\n      code\n      message\n      eps\n    }\n    report\n    model {\n      id\n      name\n      sha256\n    }\n    dataset {\n      id\n      name\n    }\n  }\n": typeof types.EvaluationFieldsFragmentDoc,
    "\n  fragment JobFields on Job {\n    __typename\n    id\n    kind\n    status\n    createdAt\n    startedAt\n    finishedAt\n    attempts\n    checkpointEpoch\n    lastSequence\n    seed\n    error {\n      code\n      message\n    }\n    progress {\n      ...ProgressFields\n    }\n    dataset {\n      id\n      name\n    }\n    ... on HardeningJob {\n      method\n      eps\n      epochs\n      student {\n        id\n        name\n      }\n      teacher {\n        id\n        name\n      }\n      resultModel {\n        id\n        name\n      }\n    }\n    ... on EvaluationJob {\n      evalEps: eps\n      model {\n        id\n        name\n      }\n    }\n    ... on ZooTrainingJob {\n      zooArchitecture: architecture\n      epochs\n      resultModel {\n        id\n        name\n      }\n    }\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  query WhoAmI {\n    viewer {\n      name\n    }\n    serverInfo {\n      version\n      backend\n      hardeningAvailable\n      queuedJobs\n      runningJobs\n    }\n  }\n": typeof types.WhoAmIDocument,
    "\n  query Datasets($first: Int) {\n    viewer {\n      datasets(first: $first) {\n        edges {\n          node {\n            ...DatasetFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.DatasetsDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ...JobFields\n      ... on Model {\n        ...ModelFields\n        createdBy {\n          __typename\n          id\n          dataset {\n            id\n            name\n          }\n        }\n      }\n      ... on Dataset {\n        ...DatasetFields\n      }\n      ... on Evaluation {\n        ...EvaluationFields\n      }\n    }\n  }\n": typeof types.NodeDocument,
    "\n  query JobWithEvaluation($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ...JobFields\n      ... on HardeningJob {\n        evaluation {\n          ...EvaluationFields\n        }\n      }\n      ... on EvaluationJob {\n        evaluation {\n          ...EvaluationFields\n        }\n      }\n      ... on Evaluation {\n        ...EvaluationFields\n      }\n    }\n  }\n": typeof types.JobWithEvaluationDocument,
    "\n  query JobTimeline($id: ID!, $afterSequence: Int, $limit: Int) {\n    node(id: $id) {\n      __typename\n      ... on Job {\n        timeline(afterSequence: $afterSequence, limit: $limit) {\n          sequence\n          kind\n          status\n          message\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.JobTimelineDocument,
    "\n  query Jobs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {\n    viewer {\n      jobs(first: $first, after: $after, status: $status, kind: $kind) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.JobsDocument,
    "\n  mutation UploadModel($input: UploadModelInput!) {\n    uploadModel(input: $input) {\n      __typename\n      ... on MutationUploadModelSuccess {\n        data {\n          ...ModelFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.UploadModelDocument,
    "\n  mutation UploadDataset($input: UploadDatasetInput!) {\n    uploadDataset(input: $input) {\n      __typename\n      ... on MutationUploadDatasetSuccess {\n        data {\n          ...DatasetFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.UploadDatasetDocument,
    "\n  mutation CreateZooModel($input: CreateZooModelInput!) {\n    createZooModel(input: $input) {\n      __typename\n      ... on MutationCreateZooModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.CreateZooModelDocument,
    "\n  mutation HardenModel($input: HardenModelInput!) {\n    hardenModel(input: $input) {\n      __typename\n      ... on MutationHardenModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.HardenModelDocument,
    "\n  mutation EvaluateModel($input: EvaluateModelInput!) {\n    evaluateModel(input: $input) {\n      __typename\n      ... on MutationEvaluateModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.EvaluateModelDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on MutationCancelJobSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  subscription JobProgress($id: ID!, $afterSequence: Int) {\n    jobProgress(id: $id, afterSequence: $afterSequence) {\n      sequence\n      kind\n      status\n      message\n      createdAt\n      progress {\n        ...ProgressFields\n      }\n    }\n  }\n": typeof types.JobProgressDocument,
    "\n  query Models($first: Int) {\n    viewer {\n      models(first: $first) {\n        edges {\n          node {\n            ...ModelFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  mutation DeleteModel($id: ID!) {\n    deleteModel(id: $id) {\n      __typename\n      ... on MutationDeleteModelSuccess {\n        data\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": typeof types.DeleteModelDocument,
};
const documents: Documents = {
    "\n  fragment ProgressFields on JobProgress {\n    phase\n    fraction\n    epoch\n    epochs\n    step\n    totalSteps\n    etaSeconds\n    examplesPerSecond\n    learningRate\n    terms\n    heldOutCleanAccuracy\n    heldOutPgdAccuracy\n    message\n  }\n": types.ProgressFieldsFragmentDoc,
    "\n  fragment ModelFields on Model {\n    id\n    name\n    source\n    architecture\n    sha256\n    parameterCount\n    inputShape\n    numClasses\n    featureLayer\n    createdAt\n    warnings\n    files {\n      name\n      bytes\n      sha256\n      url\n    }\n  }\n": types.ModelFieldsFragmentDoc,
    "\n  fragment DatasetFields on Dataset {\n    id\n    name\n    datasetFormat: format\n    datasetSource: source\n    count\n    trainSize\n    testSize\n    inputShape\n    numClasses\n  }\n": types.DatasetFieldsFragmentDoc,
    "\n  fragment EvaluationFields on Evaluation {\n    id\n    createdAt\n    cleanAccuracy\n    numExamples\n    backend\n    seed\n    epsCurve {\n      eps\n      robustAccuracy\n    }\n    flags {\n      code\n      message\n      eps\n    }\n    report\n    model {\n      id\n      name\n      sha256\n    }\n    dataset {\n      id\n      name\n    }\n  }\n": types.EvaluationFieldsFragmentDoc,
    "\n  fragment JobFields on Job {\n    __typename\n    id\n    kind\n    status\n    createdAt\n    startedAt\n    finishedAt\n    attempts\n    checkpointEpoch\n    lastSequence\n    seed\n    error {\n      code\n      message\n    }\n    progress {\n      ...ProgressFields\n    }\n    dataset {\n      id\n      name\n    }\n    ... on HardeningJob {\n      method\n      eps\n      epochs\n      student {\n        id\n        name\n      }\n      teacher {\n        id\n        name\n      }\n      resultModel {\n        id\n        name\n      }\n    }\n    ... on EvaluationJob {\n      evalEps: eps\n      model {\n        id\n        name\n      }\n    }\n    ... on ZooTrainingJob {\n      zooArchitecture: architecture\n      epochs\n      resultModel {\n        id\n        name\n      }\n    }\n  }\n": types.JobFieldsFragmentDoc,
    "\n  query WhoAmI {\n    viewer {\n      name\n    }\n    serverInfo {\n      version\n      backend\n      hardeningAvailable\n      queuedJobs\n      runningJobs\n    }\n  }\n": types.WhoAmIDocument,
    "\n  query Datasets($first: Int) {\n    viewer {\n      datasets(first: $first) {\n        edges {\n          node {\n            ...DatasetFields\n          }\n        }\n      }\n    }\n  }\n": types.DatasetsDocument,
    "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ...JobFields\n      ... on Model {\n        ...ModelFields\n        createdBy {\n          __typename\n          id\n          dataset {\n            id\n            name\n          }\n        }\n      }\n      ... on Dataset {\n        ...DatasetFields\n      }\n      ... on Evaluation {\n        ...EvaluationFields\n      }\n    }\n  }\n": types.NodeDocument,
    "\n  query JobWithEvaluation($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ...JobFields\n      ... on HardeningJob {\n        evaluation {\n          ...EvaluationFields\n        }\n      }\n      ... on EvaluationJob {\n        evaluation {\n          ...EvaluationFields\n        }\n      }\n      ... on Evaluation {\n        ...EvaluationFields\n      }\n    }\n  }\n": types.JobWithEvaluationDocument,
    "\n  query JobTimeline($id: ID!, $afterSequence: Int, $limit: Int) {\n    node(id: $id) {\n      __typename\n      ... on Job {\n        timeline(afterSequence: $afterSequence, limit: $limit) {\n          sequence\n          kind\n          status\n          message\n          createdAt\n        }\n      }\n    }\n  }\n": types.JobTimelineDocument,
    "\n  query Jobs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {\n    viewer {\n      jobs(first: $first, after: $after, status: $status, kind: $kind) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.JobsDocument,
    "\n  mutation UploadModel($input: UploadModelInput!) {\n    uploadModel(input: $input) {\n      __typename\n      ... on MutationUploadModelSuccess {\n        data {\n          ...ModelFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.UploadModelDocument,
    "\n  mutation UploadDataset($input: UploadDatasetInput!) {\n    uploadDataset(input: $input) {\n      __typename\n      ... on MutationUploadDatasetSuccess {\n        data {\n          ...DatasetFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.UploadDatasetDocument,
    "\n  mutation CreateZooModel($input: CreateZooModelInput!) {\n    createZooModel(input: $input) {\n      __typename\n      ... on MutationCreateZooModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.CreateZooModelDocument,
    "\n  mutation HardenModel($input: HardenModelInput!) {\n    hardenModel(input: $input) {\n      __typename\n      ... on MutationHardenModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.HardenModelDocument,
    "\n  mutation EvaluateModel($input: EvaluateModelInput!) {\n    evaluateModel(input: $input) {\n      __typename\n      ... on MutationEvaluateModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.EvaluateModelDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on MutationCancelJobSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.CancelJobDocument,
    "\n  subscription JobProgress($id: ID!, $afterSequence: Int) {\n    jobProgress(id: $id, afterSequence: $afterSequence) {\n      sequence\n      kind\n      status\n      message\n      createdAt\n      progress {\n        ...ProgressFields\n      }\n    }\n  }\n": types.JobProgressDocument,
    "\n  query Models($first: Int) {\n    viewer {\n      models(first: $first) {\n        edges {\n          node {\n            ...ModelFields\n          }\n        }\n      }\n    }\n  }\n": types.ModelsDocument,
    "\n  mutation DeleteModel($id: ID!) {\n    deleteModel(id: $id) {\n      __typename\n      ... on MutationDeleteModelSuccess {\n        data\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n": types.DeleteModelDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProgressFields on JobProgress {\n    phase\n    fraction\n    epoch\n    epochs\n    step\n    totalSteps\n    etaSeconds\n    examplesPerSecond\n    learningRate\n    terms\n    heldOutCleanAccuracy\n    heldOutPgdAccuracy\n    message\n  }\n"): typeof import('./graphql.ts').ProgressFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ModelFields on Model {\n    id\n    name\n    source\n    architecture\n    sha256\n    parameterCount\n    inputShape\n    numClasses\n    featureLayer\n    createdAt\n    warnings\n    files {\n      name\n      bytes\n      sha256\n      url\n    }\n  }\n"): typeof import('./graphql.ts').ModelFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DatasetFields on Dataset {\n    id\n    name\n    datasetFormat: format\n    datasetSource: source\n    count\n    trainSize\n    testSize\n    inputShape\n    numClasses\n  }\n"): typeof import('./graphql.ts').DatasetFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EvaluationFields on Evaluation {\n    id\n    createdAt\n    cleanAccuracy\n    numExamples\n    backend\n    seed\n    epsCurve {\n      eps\n      robustAccuracy\n    }\n    flags {\n      code\n      message\n      eps\n    }\n    report\n    model {\n      id\n      name\n      sha256\n    }\n    dataset {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql.ts').EvaluationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    __typename\n    id\n    kind\n    status\n    createdAt\n    startedAt\n    finishedAt\n    attempts\n    checkpointEpoch\n    lastSequence\n    seed\n    error {\n      code\n      message\n    }\n    progress {\n      ...ProgressFields\n    }\n    dataset {\n      id\n      name\n    }\n    ... on HardeningJob {\n      method\n      eps\n      epochs\n      student {\n        id\n        name\n      }\n      teacher {\n        id\n        name\n      }\n      resultModel {\n        id\n        name\n      }\n    }\n    ... on EvaluationJob {\n      evalEps: eps\n      model {\n        id\n        name\n      }\n    }\n    ... on ZooTrainingJob {\n      zooArchitecture: architecture\n      epochs\n      resultModel {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.ts').JobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI {\n    viewer {\n      name\n    }\n    serverInfo {\n      version\n      backend\n      hardeningAvailable\n      queuedJobs\n      runningJobs\n    }\n  }\n"): typeof import('./graphql.ts').WhoAmIDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Datasets($first: Int) {\n    viewer {\n      datasets(first: $first) {\n        edges {\n          node {\n            ...DatasetFields\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.ts').DatasetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ...JobFields\n      ... on Model {\n        ...ModelFields\n        createdBy {\n          __typename\n          id\n          dataset {\n            id\n            name\n          }\n        }\n      }\n      ... on Dataset {\n        ...DatasetFields\n      }\n      ... on Evaluation {\n        ...EvaluationFields\n      }\n    }\n  }\n"): typeof import('./graphql.ts').NodeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobWithEvaluation($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ...JobFields\n      ... on HardeningJob {\n        evaluation {\n          ...EvaluationFields\n        }\n      }\n      ... on EvaluationJob {\n        evaluation {\n          ...EvaluationFields\n        }\n      }\n      ... on Evaluation {\n        ...EvaluationFields\n      }\n    }\n  }\n"): typeof import('./graphql.ts').JobWithEvaluationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobTimeline($id: ID!, $afterSequence: Int, $limit: Int) {\n    node(id: $id) {\n      __typename\n      ... on Job {\n        timeline(afterSequence: $afterSequence, limit: $limit) {\n          sequence\n          kind\n          status\n          message\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.ts').JobTimelineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {\n    viewer {\n      jobs(first: $first, after: $after, status: $status, kind: $kind) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.ts').JobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadModel($input: UploadModelInput!) {\n    uploadModel(input: $input) {\n      __typename\n      ... on MutationUploadModelSuccess {\n        data {\n          ...ModelFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').UploadModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadDataset($input: UploadDatasetInput!) {\n    uploadDataset(input: $input) {\n      __typename\n      ... on MutationUploadDatasetSuccess {\n        data {\n          ...DatasetFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').UploadDatasetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateZooModel($input: CreateZooModelInput!) {\n    createZooModel(input: $input) {\n      __typename\n      ... on MutationCreateZooModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').CreateZooModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HardenModel($input: HardenModelInput!) {\n    hardenModel(input: $input) {\n      __typename\n      ... on MutationHardenModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').HardenModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EvaluateModel($input: EvaluateModelInput!) {\n    evaluateModel(input: $input) {\n      __typename\n      ... on MutationEvaluateModelSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').EvaluateModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on MutationCancelJobSuccess {\n        data {\n          ...JobFields\n        }\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').CancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobProgress($id: ID!, $afterSequence: Int) {\n    jobProgress(id: $id, afterSequence: $afterSequence) {\n      sequence\n      kind\n      status\n      message\n      createdAt\n      progress {\n        ...ProgressFields\n      }\n    }\n  }\n"): typeof import('./graphql.ts').JobProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models($first: Int) {\n    viewer {\n      models(first: $first) {\n        edges {\n          node {\n            ...ModelFields\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.ts').ModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteModel($id: ID!) {\n    deleteModel(id: $id) {\n      __typename\n      ... on MutationDeleteModelSuccess {\n        data\n      }\n      ... on DomainError {\n        code\n        message\n        details\n      }\n    }\n  }\n"): typeof import('./graphql.ts').DeleteModelDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
