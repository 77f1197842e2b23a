/** Atomic file writes for figure outputs (the library's one implementation, in util/files). */
export { writeFileAtomic } from '../util/files';
