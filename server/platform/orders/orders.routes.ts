// HTTP routes of the orders module: a user's own orders (the "Which order is this about?" picker)
// and one order, under the module's read rules (orders.service.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponse } from '../../../common/errors.js';
import { OrderDto, OrderIdParams, OrderList } from '../../../common/orders.js';
import type { OrdersService } from './orders.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function ordersRoutes(app: FastifyInstance, options: { orders: OrdersService }) {
  const { orders } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('', {
    schema: {
      tags: ['orders'],
      summary: "The signed-in user's recent orders (as customer, restaurant or driver), in progress first",
      security: bearer,
      response: { 200: OrderList, ...failures },
    },
    handler: async (request) => ({ items: await orders.listMine(request.principal) }),
  });

  routes.get('/:orderId', {
    schema: {
      tags: ['orders'],
      summary: "One order: a party's own, or (SUPPORT_CHAT) one linked to a conversation; 404 otherwise",
      security: bearer,
      params: OrderIdParams,
      response: { 200: OrderDto, ...failures },
    },
    handler: (request) => orders.get(request.principal, request.params.orderId),
  });
}
