export { answerJson, createFakeModelPort, fakeModel, type FakeBehaviour, type FakeScript } from './fake-model-port';
export { createFixedPlanner } from './fixed-planner';
export { testAgent, testAgents } from './test-agents';
