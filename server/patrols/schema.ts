import { z } from 'zod';
import { idParam } from '../http/params.js';

export const TeamFilterQuery = z.object({ team: idParam().optional() });
