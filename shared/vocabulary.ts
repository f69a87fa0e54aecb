/**
 * The words the seeder builds jobs from, and the load generators draw query parameters from,
 * so that searches hit real rows. Plain data with no imports: k6 scripts import it too.
 */
export const ROLES = [
  'Backend Engineer', 'Frontend Engineer', 'Full-Stack Developer', 'Data Engineer', 'Data Scientist',
  'DevOps Engineer', 'Site Reliability Engineer', 'Product Manager', 'Product Designer', 'QA Engineer',
  'Mobile Developer', 'Security Engineer', 'Database Administrator', 'Machine Learning Engineer',
  'Technical Writer', 'Engineering Manager', 'Solutions Architect', 'Support Engineer', 'Platform Engineer',
  'Embedded Software Engineer',
] as const;

export const SENIORITY = ['Junior', '', 'Senior', 'Staff', 'Lead', 'Principal'] as const;

export const COMPANIES = [
  'Acme Corp', 'Globex', 'Initech', 'Umbrella Analytics', 'Hooli', 'Stark Industries', 'Wayne Tech',
  'Cyberdyne', 'Soylent Labs', 'Tyrell Systems', 'Massive Dynamic', 'Aperture Science', 'Vandelay Imports',
  'Pied Piper', 'Oscorp', 'Wonka Digital', 'Gringotts Fintech', 'Monarch Health', 'Nakatomi Trading',
  'Blue Sun Logistics', 'Black Mesa', 'Duff Cloud', 'Ollivander Data', 'Prestige Worldwide', 'Dunder Mifflin',
  'Sirius Cybernetics', 'Virtucon', 'Spacely Sprockets', 'Gekko Partners', 'Bluth Company',
] as const;

export const LOCATIONS = [
  'Paris', 'Lyon', 'Marseille', 'Toulouse', 'Bordeaux', 'Lille', 'Nantes', 'Strasbourg', 'Rennes', 'Nice',
  'Berlin', 'Munich', 'Amsterdam', 'Brussels', 'Madrid', 'Barcelona', 'Lisbon', 'London', 'Dublin', 'Zurich',
  'Geneva', 'Milan', 'Vienna', 'Prague', 'Warsaw', 'Stockholm', 'Copenhagen', 'Oslo', 'Helsinki', 'Montreal',
] as const;

export const TAGS = [
  'typescript', 'node', 'postgresql', 'python', 'go', 'rust', 'java', 'kotlin', 'react', 'vue', 'kubernetes',
  'docker', 'aws', 'gcp', 'azure', 'terraform', 'kafka', 'redis', 'graphql', 'rest', 'grpc', 'ml', 'spark',
  'airflow', 'linux', 'security', 'ci-cd', 'observability', 'sql', 'microservices',
] as const;

/** Words that appear in descriptions; search terms are drawn from here and from ROLES. */
export const DESCRIPTION_WORDS = [
  'scalable', 'distributed', 'systems', 'platform', 'customers', 'latency', 'reliability', 'team', 'remote',
  'agile', 'ownership', 'mentoring', 'architecture', 'performance', 'database', 'payments', 'analytics',
  'pipeline', 'realtime', 'cloud', 'migration', 'testing', 'automation', 'monitoring', 'api', 'mobile',
  'security', 'compliance', 'growth', 'startup', 'enterprise', 'healthcare', 'fintech', 'logistics', 'energy',
] as const;

/** Full-text queries for the search scenario: single words, phrases and alternations (websearch syntax). */
export const SEARCH_TERMS = [
  'engineer', 'backend', 'data', 'senior', 'platform', 'security', 'python', 'postgresql', 'kubernetes',
  'distributed systems', 'machine learning', 'frontend react', 'devops or sre', '"site reliability"',
  'payments', 'analytics pipeline', 'remote', 'architecture', 'mobile', 'fintech',
] as const;
