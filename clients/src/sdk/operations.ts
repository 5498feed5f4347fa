import { graphql } from './gql/index.ts';

/**
 * Every operation the SDK sends. GraphQL Code Generator reads this file (clients/codegen.ts) and
 * types each document; change a document, then run `npm run codegen -w @temper/clients`.
 */

export const ProgressFieldsFragment = graphql(`
  fragment ProgressFields on JobProgress {
    phase
    stage
    fraction
    epoch
    epochs
    step
    totalSteps
    etaSeconds
    examplesPerSecond
    learningRate
    terms
    heldOutCleanAccuracy
    heldOutPgdAccuracy
    message
  }
`);

export const ModelFieldsFragment = graphql(`
  fragment ModelFields on Model {
    id
    name
    source
    architecture
    sha256
    parameterCount
    inputShape
    numClasses
    featureLayer
    createdAt
    warnings
    warningDetails {
      code
      message
    }
    preprocessing
    producer
    outputsWereSoftmax
    files {
      name
      bytes
      sha256
      url
    }
  }
`);

export const DatasetFieldsFragment = graphql(`
  fragment DatasetFields on Dataset {
    id
    name
    datasetFormat: format
    datasetSource: source
    count
    trainSize
    testSize
    inputShape
    numClasses
  }
`);

export const EvaluationFieldsFragment = graphql(`
  fragment EvaluationFields on Evaluation {
    id
    createdAt
    cleanAccuracy
    numExamples
    backend
    seed
    epsCurve {
      eps
      robustAccuracy
    }
    flags {
      code
      message
      eps
    }
    report
    model {
      id
      name
      sha256
    }
    dataset {
      id
      name
    }
  }
`);

export const JobFieldsFragment = graphql(`
  fragment JobFields on Job {
    __typename
    id
    kind
    status
    createdAt
    startedAt
    finishedAt
    attempts
    checkpointEpoch
    lastSequence
    seed
    error {
      code
      message
    }
    progress {
      ...ProgressFields
    }
    dataset {
      id
      name
    }
    ... on HardeningJob {
      method
      eps
      epochs
      student {
        id
        name
      }
      teacher {
        id
        name
      }
      resultModel {
        id
        name
      }
    }
    ... on EvaluationJob {
      evalEps: eps
      model {
        id
        name
      }
    }
    ... on ZooTrainingJob {
      zooArchitecture: architecture
      epochs
      resultModel {
        id
        name
      }
    }
  }
`);

export const WhoAmIQuery = graphql(`
  query WhoAmI {
    viewer {
      name
    }
    serverInfo {
      version
      backend
      hardeningAvailable
      queuedJobs
      runningJobs
    }
  }
`);

export const DatasetsQuery = graphql(`
  query Datasets($first: Int) {
    viewer {
      datasets(first: $first) {
        edges {
          node {
            ...DatasetFields
          }
        }
      }
    }
  }
`);

export const NodeQuery = graphql(`
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...JobFields
      ... on Model {
        ...ModelFields
        createdBy {
          __typename
          id
          dataset {
            id
            name
          }
        }
      }
      ... on Dataset {
        ...DatasetFields
      }
      ... on Evaluation {
        ...EvaluationFields
      }
      ... on EdgeCheck {
        ...EdgeCheckFields
      }
    }
  }
`);

export const JobWithEvaluationQuery = graphql(`
  query JobWithEvaluation($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...JobFields
      ... on HardeningJob {
        evaluation {
          ...EvaluationFields
        }
      }
      ... on EvaluationJob {
        evaluation {
          ...EvaluationFields
        }
      }
      ... on Evaluation {
        ...EvaluationFields
      }
    }
  }
`);

export const JobTimelineQuery = graphql(`
  query JobTimeline($id: ID!, $afterSequence: Int, $limit: Int) {
    node(id: $id) {
      __typename
      ... on Job {
        timeline(afterSequence: $afterSequence, limit: $limit) {
          sequence
          kind
          status
          message
          createdAt
        }
      }
    }
  }
`);

export const JobsQuery = graphql(`
  query Jobs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {
    viewer {
      jobs(first: $first, after: $after, status: $status, kind: $kind) {
        edges {
          node {
            ...JobFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const UploadModelMutation = graphql(`
  mutation UploadModel($input: UploadModelInput!) {
    uploadModel(input: $input) {
      __typename
      ... on MutationUploadModelSuccess {
        data {
          ...ModelFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const UploadDatasetMutation = graphql(`
  mutation UploadDataset($input: UploadDatasetInput!) {
    uploadDataset(input: $input) {
      __typename
      ... on MutationUploadDatasetSuccess {
        data {
          ...DatasetFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const CreateZooModelMutation = graphql(`
  mutation CreateZooModel($input: CreateZooModelInput!) {
    createZooModel(input: $input) {
      __typename
      ... on MutationCreateZooModelSuccess {
        data {
          ...JobFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const HardenModelMutation = graphql(`
  mutation HardenModel($input: HardenModelInput!) {
    hardenModel(input: $input) {
      __typename
      ... on MutationHardenModelSuccess {
        data {
          ...JobFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const EvaluateModelMutation = graphql(`
  mutation EvaluateModel($input: EvaluateModelInput!) {
    evaluateModel(input: $input) {
      __typename
      ... on MutationEvaluateModelSuccess {
        data {
          ...JobFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const CancelJobMutation = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on MutationCancelJobSuccess {
        data {
          ...JobFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const JobProgressSubscription = graphql(`
  subscription JobProgress($id: ID!, $afterSequence: Int) {
    jobProgress(id: $id, afterSequence: $afterSequence) {
      sequence
      kind
      status
      message
      createdAt
      progress {
        ...ProgressFields
      }
    }
  }
`);

export const EdgeCheckFieldsFragment = graphql(`
  fragment EdgeCheckFields on EdgeCheck {
    id
    createdAt
    checkStatus: status
    settings
    modelSha256
    bundleUrl
    model {
      id
      name
    }
    dataset {
      id
      name
    }
    surrogates {
      id
      name
    }
    flags {
      code
      message
    }
    thresholds {
      minCleanAccuracy
      minRobustAccuracy
      minAgreement
    }
    verdict {
      status
      integrity
      robustness
      flagCodes
      summary
      reasons {
        code
        message
        measure
        threshold
        actual
      }
    }
    reports {
      id
      createdAt
      backend
      cleanAccuracy
      squareRobustAccuracy
      transferRobustAccuracy
      agreement {
        agree
        count
        rate
        ok
      }
      flags {
        code
        message
      }
    }
  }
`);

export const ModelsQuery = graphql(`
  query Models($first: Int, $after: String, $source: [ModelSource!]) {
    viewer {
      models(first: $first, after: $after, source: $source) {
        edges {
          node {
            ...ModelFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const DatasetsPageQuery = graphql(`
  query DatasetsPage($first: Int, $after: String) {
    viewer {
      datasets(first: $first, after: $after) {
        edges {
          node {
            ...DatasetFields
            createdAt
            classNames
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const EdgeChecksQuery = graphql(`
  query EdgeChecks($first: Int, $after: String) {
    viewer {
      edgeChecks(first: $first, after: $after) {
        edges {
          node {
            ...EdgeCheckFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ModelEvaluationsQuery = graphql(`
  query ModelEvaluations($first: Int, $after: String) {
    viewer {
      models(first: $first, after: $after) {
        edges {
          node {
            id
            name
            evaluations {
              id
              createdAt
              cleanAccuracy
              numExamples
              backend
              seed
              epsCurve {
                eps
                robustAccuracy
              }
              flags {
                code
              }
              dataset {
                id
                name
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** Ids and names of everything the viewer owns, one page of each: what short ids resolve against. */
export const IdIndexQuery = graphql(`
  query IdIndex($first: Int, $jobsAfter: String, $modelsAfter: String) {
    viewer {
      models(first: $first, after: $modelsAfter) {
        edges {
          node {
            id
            name
            evaluations {
              id
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      datasets(first: $first) {
        edges {
          node {
            id
            name
          }
        }
      }
      edgeChecks(first: $first) {
        edges {
          node {
            id
          }
        }
      }
      jobs(first: $first, after: $jobsAfter) {
        edges {
          node {
            __typename
            id
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const DeleteModelMutation = graphql(`
  mutation DeleteModel($id: ID!) {
    deleteModel(id: $id) {
      __typename
      ... on MutationDeleteModelSuccess {
        data
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const CreateEdgeCheckMutation = graphql(`
  mutation CreateEdgeCheck($input: CreateEdgeCheckInput!) {
    createEdgeCheck(input: $input) {
      __typename
      ... on MutationCreateEdgeCheckSuccess {
        data {
          ...EdgeCheckFields
        }
      }
      ... on DomainError {
        code
        message
        details
      }
    }
  }
`);

export const ModelDetailQuery = graphql(`
  query ModelDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Model {
        ...ModelFields
        modelJsonUrl
        createdBy {
          __typename
          id
          dataset {
            id
            name
          }
        }
        evaluations {
          id
          createdAt
          cleanAccuracy
          numExamples
          epsCurve {
            eps
            robustAccuracy
          }
          dataset {
            id
            name
          }
        }
      }
    }
  }
`);

/** The web app's runs table: every job with what its row shows once finished (clean, robust, backend). */
export const RunsQuery = graphql(`
  query Runs($first: Int, $after: String, $status: [JobStatus!], $kind: [JobKind!]) {
    viewer {
      jobs(first: $first, after: $after, status: $status, kind: $kind) {
        edges {
          node {
            ...JobFields
            ... on HardeningJob {
              params
              evaluation {
                id
                cleanAccuracy
                backend
                epsCurve {
                  eps
                  robustAccuracy
                }
              }
            }
            ... on EvaluationJob {
              evaluation {
                id
                cleanAccuracy
                backend
                epsCurve {
                  eps
                  robustAccuracy
                }
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** Models with their lineage: which job made each, from which student and teacher. */
export const ModelsPageQuery = graphql(`
  query ModelsPage($first: Int, $after: String) {
    viewer {
      models(first: $first, after: $after) {
        edges {
          node {
            ...ModelFields
            createdBy {
              __typename
              id
              dataset {
                id
                name
              }
              ... on HardeningJob {
                method
                eps
                student {
                  id
                  name
                }
                teacher {
                  id
                  name
                }
              }
              ... on ZooTrainingJob {
                epochs
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** What the start-work forms offer: methods, zoo architectures, attacks, the workers' backend. */
export const ServerCatalogueQuery = graphql(`
  query ServerCatalogue {
    serverInfo {
      backend
      hardeningAvailable
      attacks
      methods {
        name
        needsTeacher
      }
      zooArchitectures {
        name
        description
      }
    }
  }
`);

/** A job's page: its configuration with every default applied, its request and its results. */
export const JobPageQuery = graphql(`
  query JobPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...JobFields
      ... on Job {
        config
        input
      }
      ... on HardeningJob {
        params
        evaluation {
          id
        }
      }
      ... on EvaluationJob {
        evaluation {
          id
        }
      }
    }
  }
`);

export const EvaluationSamplesQuery = graphql(`
  query EvaluationSamples($id: ID!, $first: Int, $after: String, $eps: Float, $robust: Boolean) {
    node(id: $id) {
      __typename
      ... on Evaluation {
        id
        samples(first: $first, after: $after, eps: $eps, robust: $robust) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              index
              label
              cleanPrediction
              cleanCorrect
              results {
                eps
                epsFraction
                robust
                attack
                step
                query
                margin
                prediction
              }
            }
          }
        }
      }
    }
  }
`);

export const EvaluationExamplesQuery = graphql(`
  query EvaluationExamples($id: ID!, $eps: Float, $first: Int) {
    node(id: $id) {
      __typename
      ... on Evaluation {
        id
        examples(eps: $eps, first: $first) {
          eps
          epsFraction
          index
          label
          cleanPrediction
          adversarialPrediction
          attack
          margin
          shape
          clean
          adversarial
        }
      }
    }
  }
`);
