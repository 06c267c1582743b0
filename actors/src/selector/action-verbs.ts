/**
 * Imperative verbs that open a piece of work. A clause opening with one gives an order, and a comma
 * or an "and" followed by one ("implement X, test it and deploy it") separates two jobs; followed by
 * anything else it does not ("Kafka, RabbitMQ or Redis", "docs and examples").
 */
export const ACTION_VERBS: ReadonlySet<string> = new Set(
  (
    'add write implement build create generate scaffold code fix debug investigate find track diagnose ' +
    'troubleshoot reproduce test cover verify check validate ensure confirm document explain describe ' +
    'summarise summarize annotate deploy ship release publish push roll containerise containerize ' +
    'dockerize dockerise provision configure set install host open visit browse scrape crawl click ' +
    'fill log search look take collect gather review audit scan harden secure patch rotate sanitize ' +
    'sanitise design plan decide choose compare propose evaluate recommend assess profile benchmark ' +
    'measure optimize optimise speed reduce improve cut refactor rewrite update upgrade migrate remove ' +
    'delete clean run monitor send notify report convert wire integrate expose protect draft draw ' +
    'outline make keep tell give show prepare automate schedule lint format tune'
  ).split(' '),
);
