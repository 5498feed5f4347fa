import { graphql } from './gql/index.ts';

/**
 * Every operation the SDK sends. GraphQL Code Generator reads this file (clients/codegen.ts) and
 * types each document; change a document, then run `npm run codegen -w @temper/clients`.
 */

export const ProgressFieldsFragment = graphql(`
  fragment ProgressFields on JobProgress {
    phase
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

export const ModelsQuery = graphql(`
  query Models($first: Int) {
    viewer {
      models(first: $first) {
        edges {
          node {
            ...ModelFields
          }
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
